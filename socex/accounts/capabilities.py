"""The capabilities a role can grant. Code checks capabilities, never role names.

Roles are data (editable by administrators); capabilities are code, because each one is
checked somewhere. A capability added here becomes assignable on the roles page.
"""

from __future__ import annotations

CAPABILITIES: dict[str, str] = {
    # Case work (cases, referrals, safeguarding): later capabilities check these.
    "case.view_all": "See every case in the force",
    "case.view_shared": "See cases your organisation takes part in",
    "case.edit": "Create and change cases",
    "case.approve_closure": "Approve or reject requests to close a case",
    "referral.create": "Make referrals to the hub",
    "referral.triage": "Triage referrals in the hub queue",
    "mace.manage": "Run MACE meetings and record decisions",
    "person.view": "Search and view the person index",
    "person.merge": "Review duplicates and merge people",
    "nrm.manage": "Record NRM referrals and decisions",
    "intel.view": "Read intelligence reports (police only)",
    "intel.create": "Submit intelligence reports",
    "intel.evaluate": "Grade, sanitise and publish intelligence",
    "investigation.manage": "Run investigations and record disruptions",
    "workload.view": "See hub workload and capacity",
    "analytics.view": "See crime analytics and threat-risk rankings",
    "funding.view": "See VRP budgets and allocations",
    "funding.manage": "Manage VRP budgets, allocations, bids and awards",
    "funding.approve": "Approve spend and override budget limits",
    # Foundation.
    "sharing.manage": "Share records with partner organisations and revoke shares",
    "sharing.view_all": "See every entry in the sharing ledger",
    "audit.view": "Search the audit log",
    "users.manage": "Manage users, roles and organisations",
}

POLICE_ONLY: frozenset[str] = frozenset(
    {"case.view_all", "intel.view", "intel.create", "intel.evaluate", "investigation.manage"}
)


def describe(code: str) -> str:
    return CAPABILITIES.get(code, code)
