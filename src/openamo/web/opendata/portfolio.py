"""The portfolio audit: the buyer's own contracts and its imported DECP history, through the
domain's audit (``openamo.opendata.audit``), thresholds judged at each contract's own date."""

from __future__ import annotations

import datetime as dt

from openamo.opendata.audit import AuditReport, audit_contracts
from openamo.opendata.reader import RawRecord
from openamo.opendata.records import Contract as DecpContract
from openamo.opendata.records import normalise
from openamo.web.opendata.access import BuyerAccess
from openamo.web.opendata.imports import imported_contract
from openamo.web.opendata.mappers import decp_record
from openamo.web.opendata.models import ImportedRecord
from openamo.web.opendata.services import contracts_of

OWN_FILE = "OpenAMO"


def portfolio_contracts(access: BuyerAccess, today: dt.date) -> tuple[list[DecpContract], int, int]:
    """(contracts, own count, imported count); a contract both entered and imported counts once,
    as entered (the file the buyer keeps up to date)."""
    siret = access.organisation.siret or "00000000000000"
    found: dict[tuple[str, str], DecpContract] = {}
    own = 0
    for position, item in enumerate(contracts_of(access)):
        where = f"marché n° {item.contract.reference or item.contract.pk}"
        record = dict(decp_record(item, siret, today))
        raw = RawRecord(OWN_FILE, position, "2", "marche", record, where)
        contract = normalise(raw)
        found[(contract.buyer_id, contract.id)] = contract
        own += 1
    imported = 0
    if access.via_share:  # the buyer's published history is its own
        return list(found.values()), own, imported
    rows = ImportedRecord.objects.filter(organisation=access.organisation).select_related("source")
    for position, row in enumerate(rows.iterator(chunk_size=2000)):
        contract = imported_contract(row, position)
        key = (contract.buyer_id, contract.id)
        if key not in found:
            found[key] = contract
            imported += 1
    return list(found.values()), own, imported


def portfolio_audit(access: BuyerAccess, today: dt.date) -> tuple[AuditReport, int, int]:
    contracts, own, imported = portfolio_contracts(access, today)
    report = audit_contracts(contracts, records_read=len(contracts), limit=50, today=today)
    return report, own, imported
