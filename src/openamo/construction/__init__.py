"""Public works ownership: choosing the MOE, its fee and tolerances, who does what, reception and
the final account (CCP livre IV, CCAG-Travaux 2021). Pure Python: every figure comes from law data.
"""

from openamo.construction.dgd import final_account, final_account_from_dict
from openamo.construction.fees import moe_fee, moe_fee_from_dict
from openamo.construction.increase import works_increase, works_increase_from_dict
from openamo.construction.moe import choose_moe_procedure, choose_moe_procedure_from_dict
from openamo.construction.orders import (
    reserves_answer_deadline,
    service_orders,
    service_orders_from_dict,
)
from openamo.construction.organisation import choose_organisation, choose_organisation_from_dict
from openamo.construction.phases import review_phases, review_phases_from_dict
from openamo.construction.reception import reception_calendar, reception_calendar_from_dict
from openamo.construction.statements import monthly_statements, monthly_statements_from_dict

__all__ = [
    "choose_moe_procedure",
    "choose_moe_procedure_from_dict",
    "choose_organisation",
    "choose_organisation_from_dict",
    "final_account",
    "final_account_from_dict",
    "moe_fee",
    "moe_fee_from_dict",
    "monthly_statements",
    "monthly_statements_from_dict",
    "reception_calendar",
    "reception_calendar_from_dict",
    "reserves_answer_deadline",
    "review_phases",
    "review_phases_from_dict",
    "service_orders",
    "service_orders_from_dict",
    "works_increase",
    "works_increase_from_dict",
]
