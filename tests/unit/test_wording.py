from openamo.wording import count


def test_zero_and_one_take_the_singular() -> None:
    assert count(0, "offre classée") == "0 offre classée"
    assert count(1, "offre reçue") == "1 offre reçue"


def test_the_plural_is_built_or_given_whole() -> None:
    assert count(3, "offre reçue") == "3 offres reçues"
    assert count(2, "lieu de livraison", "lieux de livraison") == "2 lieux de livraison"
