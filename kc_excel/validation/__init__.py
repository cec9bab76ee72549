"""Validation: rules that yield ``Issue`` values, and the runner that collects them."""
