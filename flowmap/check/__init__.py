"""Stage 4, check: Map → findings. The legal-basis engine (``coverage``), the graph, the
rules (``rules/``), and ``validate``, which runs them all.
"""
