from __future__ import annotations

from openamo.findings import Findings


def test_a_bare_article_adds_nothing_to_the_same_article_with_its_decree() -> None:
    findings = Findings()
    findings.cite("CCP R2191-11 (décret n° 2018-1075)", "CCP R2191-12", "CCP R2191-11")
    assert findings.references == ["CCP R2191-11 (décret n° 2018-1075)", "CCP R2191-12"]


def test_a_bare_article_gives_way_to_its_detailed_citation_in_place() -> None:
    findings = Findings()
    findings.cite("CCP R2191-3", "CCP R2191-7", "CCP R2191-3, al. 2", "CCP R2191-3 (décret)")
    assert findings.references == ["CCP R2191-3, al. 2", "CCP R2191-7", "CCP R2191-3 (décret)"]


def test_another_article_with_the_same_beginning_is_kept() -> None:
    findings = Findings()
    findings.cite("CCP R2191-1", "CCP R2191-11", "CCP R2191-110 (décret)")
    assert findings.references == ["CCP R2191-1", "CCP R2191-11", "CCP R2191-110 (décret)"]
