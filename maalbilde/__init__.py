"""Målbilde: strategy, indicator and reporting software for cultural organisations."""
