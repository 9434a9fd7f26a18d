"""Stage 1, read: YAML text → plain values with the file, line and column of each.
"""
