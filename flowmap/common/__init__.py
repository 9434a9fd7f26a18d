"""Stage 0, codes and helpers: finding records, rule values and the loader's codes,
names and suggestions, spreadsheet cells, writing output files. Every stage may import these.
"""
