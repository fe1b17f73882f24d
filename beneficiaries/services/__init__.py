"""Every write of case work goes through these functions (STYLE.md: one place per rule)."""

from .capital import (
    CAPITAL_TRANSITIONS,
    capital_targets,
    change_capital_access_status,
    update_capital_access,
)
from .groups import end_memberships_in, update_enterprise, update_group
from .households import (
    add_member,
    change_head,
    open_case,
    record_member_left,
    register_household,
    update_household,
    update_person,
)
from .moves import allowed_targets, decide_move, move_guards, request_move
from .privacy import erase_person
from .records import (
    add_group_member,
    attach_group,
    create_enterprise,
    create_group,
    record_activity,
    record_assistance,
    record_capital_access,
    remove_group_member,
    set_attendance,
    update_activity,
)

__all__ = [
    "CAPITAL_TRANSITIONS",
    "allowed_targets",
    "update_household",
    "update_person",
    "attach_group",
    "add_group_member",
    "add_member",
    "capital_targets",
    "change_head",
    "change_capital_access_status",
    "create_enterprise",
    "create_group",
    "decide_move",
    "end_memberships_in",
    "erase_person",
    "move_guards",
    "open_case",
    "record_activity",
    "record_assistance",
    "record_capital_access",
    "record_member_left",
    "register_household",
    "remove_group_member",
    "request_move",
    "set_attendance",
    "update_activity",
    "update_capital_access",
    "update_enterprise",
    "update_group",
]
