"""Imported last by the readers' fork server (:mod:`kc_excel.workbook.sandbox`): ``gc.freeze()``.

Everything the server preloaded moves to the garbage collector's permanent
generation, so the readers forked from it never walk (and so never copy, page
by page) those objects in their own collections: a reader's first file then
costs 0.06-0.1 s instead of about 0.2 s, and later files 10-20 % less (measured on 2 cores).
The collector, off since :mod:`kc_excel.workbook.lean`, is turned back on for the readers.
Only the fork server imports this module.
"""

import gc

gc.freeze()
gc.enable()
