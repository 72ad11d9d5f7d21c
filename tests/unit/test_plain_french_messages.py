"""Every error message of the domain reads in plain French (issue 16.6): the sentences given to
``OpenAMOError``, ``LawDataError``, ``ErrorDetail`` and the pydantic validators (``ValueError``)
of ``src/openamo`` (the web has its own test, on the pages) name fields as the forms label
them: no snake_case identifier, no dotted parameter path, none of the English words of
``tests/plain_french.py``. A formatted value (``{day:%d/%m/%Y}``) counts as one word."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.plain_french import faults

SOURCE = Path(__file__).resolve().parents[2] / "src" / "openamo"
RAISED = {"OpenAMOError", "LawDataError", "ValueError", "ErrorDetail"}
PENDING: set[str] = set()
"""Files whose messages may still name JSON keys: none since the construction messages were
reworded; the set stays for a file under rework, and may only shrink back to empty."""


def sentence(node: ast.expr) -> str | None:
    """The literal text of a message, formatted parts replaced by a word."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else " X "
            for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return (sentence(node.left) or " X ") + (sentence(node.right) or " X ")
    return None


def messages(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in RAISED:
            # ErrorDetail(location, message): the location is the JSON path, by contract.
            text = sentence(node.args[-1] if name == "ErrorDetail" else node.args[0])
            if text:
                found.append((node.lineno, text))
    return found


def domain_files() -> list[Path]:
    return [
        path for path in sorted(SOURCE.rglob("*.py")) if "web" not in path.relative_to(SOURCE).parts
    ]


def test_the_scan_sees_the_domain_s_messages() -> None:
    total = sum(len(messages(path)) for path in domain_files())
    assert total > 200
    assert faults("« decided_on » est antérieure à « requested_on »")


def test_every_domain_message_reads_in_plain_french() -> None:
    problems = [
        f"{path.relative_to(SOURCE)}:{line} : {fault}"
        for path in domain_files()
        if str(path.relative_to(SOURCE)) not in PENDING
        for line, text in messages(path)
        for fault in faults(text)
    ]
    assert not problems, "\n".join(problems)
