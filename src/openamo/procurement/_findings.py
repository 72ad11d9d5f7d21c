"""The procedure verdict uses the shared accumulator as it is."""

from openamo.findings import Findings

__all__ = ["Findings"]
