"""Stage 5, outputs for reviewers: views of a checked map, trace, diff between versions,
explain pages and watch.
"""
