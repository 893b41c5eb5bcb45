"""The report: ``reproduce`` runs every engine and writes Markdown, HTML, JSON and figures."""

from .reproduce import ReproduceResult, reproduce

__all__ = ["ReproduceResult", "reproduce"]
