"""Workbooks: layout (names in one place), reading, writing and templates."""
