"""Stage 3, load: map files (and the built-in catalogue) → one merged Map with findings.
"""
