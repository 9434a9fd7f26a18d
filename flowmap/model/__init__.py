"""Stage 2, model: the format's pydantic models (``entities``), privacy-review facts,
and the merged map they make (``mapdata``).
"""
