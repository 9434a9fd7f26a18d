"""Stage 5, outputs for authors: fmt, scaffold, importing registers and spreadsheets,
and the round trip between a map and a register.
"""
