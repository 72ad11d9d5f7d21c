from django.template import Context, Template


def render(number: object, words: str) -> str:
    return Template("{% load wording %}{{ n|count:words }}").render(
        Context({"n": number, "words": words})
    )


def test_the_template_filter_writes_french_counts() -> None:
    assert render(0, "jour") == "0 jour"
    assert render(4, "jour") == "4 jours"
    assert render(2, "lieu|lieux") == "2 lieux"
    assert render(None, "jour") == "—"
