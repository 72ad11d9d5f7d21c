"""Award: criteria and their legal checks, price scoring methods, marking grids, candidacies,
offers per lot, ranking with ties, abnormally low offers (a suspicion that opens R2152-3)."""

from openamo.award.analysis import score_offers, score_offers_from_dict
from openamo.award.calendar import (
    AwardCalendarInput,
    AwardCalendarResult,
    award_calendar,
    award_calendar_from_dict,
    award_notice_deadline,
)
from openamo.award.candidacies import check_candidacies, check_candidacy
from openamo.award.enums import (
    AbnormalOutcome,
    CandidacyVerdict,
    CheckLevel,
    CriterionKind,
    LotOutcome,
    OfferStatus,
    PriceMethod,
)
from openamo.award.grids import check_mark, default_grid
from openamo.award.methods import METHODS, price_score
from openamo.award.models import (
    CandidacyInput,
    CriterionInput,
    LotInput,
    OfferInput,
    ScoreInput,
    ScoreResult,
)

__all__ = [
    "METHODS",
    "AbnormalOutcome",
    "AwardCalendarInput",
    "AwardCalendarResult",
    "CandidacyInput",
    "CandidacyVerdict",
    "CheckLevel",
    "CriterionInput",
    "CriterionKind",
    "LotInput",
    "LotOutcome",
    "OfferInput",
    "OfferStatus",
    "PriceMethod",
    "ScoreInput",
    "ScoreResult",
    "award_calendar",
    "award_calendar_from_dict",
    "award_notice_deadline",
    "check_candidacies",
    "check_candidacy",
    "check_mark",
    "default_grid",
    "price_score",
    "score_offers",
    "score_offers_from_dict",
]
