"""Forms of the contract pages, one module per page family: what the user types, checked for
form (dates, amounts, SIRET); the legal substance is the domain's (``openamo.pricing``)."""
