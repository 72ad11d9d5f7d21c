"""Every file import (purchases in the ma cantine format, index series, DQE) read from random
bytes, wrong encodings and cells beyond the csv module's field limit: a result or one French
error, never a traceback (issue 14, item 2)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openamo.catering.importer import parse_purchases
from openamo.errors import OpenAMOError
from openamo.pricing.indices import read_index_series
from openamo.web.catering import dqe

EXAMPLES = 400 if os.environ.get("OPENAMO_FUZZ_DEEP") else 40
LONG_CELL = b"x" * 131_073
HEADERS = [b"date;famille;montant_ht\n", b"periode;valeur\n", b"code;designation;quantite\n"]
FILES = st.one_of(
    st.binary(max_size=400),
    st.builds(lambda h, cell: h + cell + b";1\n", st.sampled_from(HEADERS), st.just(LONG_CELL)),
    st.builds(lambda h: h + b'"' + LONG_CELL + b"\n", st.sampled_from(HEADERS)),
    st.builds(lambda h, t: h + t.encode("utf-16"), st.sampled_from(HEADERS), st.text(max_size=50)),
    st.builds(lambda h, t: h + t.encode("utf-8"), st.sampled_from(HEADERS), st.text(max_size=80)),
)
READERS: dict[str, Callable[[bytes], Any]] = {
    "achats": parse_purchases,
    "indices": lambda content: read_index_series(content, "série.csv"),
    "dqe": dqe.read,
}


@pytest.mark.parametrize("name", sorted(READERS))
def test_an_import_answers_any_file_with_a_result_or_a_french_error(name: str) -> None:
    reader = READERS[name]

    @given(content=FILES)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def never_a_traceback(content: bytes) -> None:
        try:
            reader(content)
        except OpenAMOError as exc:
            assert exc.message and "Traceback" not in exc.message

    never_a_traceback()


def test_a_cell_beyond_the_csv_field_limit_is_named_in_french() -> None:
    with pytest.raises(OpenAMOError, match="trop longue"):
        read_index_series(b"periode;valeur\n2026-01;" + LONG_CELL + b"\n", "série.csv")
