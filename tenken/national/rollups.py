"""National rollups for one fiscal year: status counts by policy, by prefecture, by organization, and
the change from the previous year.

Counts are of approved reviews of annual inspections (the yearly results); a policy is the top-level
section (depth 0) of each organization's plan, grouped nationally by its title. Prefecture of a
municipality is the first two digits of its 団体コード.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Sum

from .models import StatusRollup

# Policies are resolved once per section (two self joins), so every join below can be a hash join.
_POLICY_CTE = """
WITH pol AS (
    SELECT s.id AS section_id,
           CASE s.depth WHEN 0 THEN s.title WHEN 1 THEN p1.title ELSE p2.title END AS policy
    FROM plans_section s
    LEFT JOIN plans_section p1 ON p1.id = s.parent_id
    LEFT JOIN plans_section p2 ON p2.id = p1.parent_id
)
"""

_REFRESH_SQL = _POLICY_CTE + """
INSERT INTO national_statusrollup (fiscal_year, organization_id, prefecture_code, policy, status_code, count)
SELECT r.fiscal_year, p.organization_id, {pref} AS prefecture_code, pol.policy, st.code, COUNT(*)
FROM reviews_initiativereview r
JOIN reviews_inspection ins ON ins.id = r.inspection_id AND ins.kind = 'annual'
JOIN plans_initiative i ON i.id = r.initiative_id
JOIN pol ON pol.section_id = i.section_id
JOIN plans_plan p ON p.id = i.plan_id
JOIN orgs_organization o ON o.id = p.organization_id
JOIN plans_status st ON st.id = r.status_id
WHERE r.approval = 'approved'
GROUP BY r.fiscal_year, p.organization_id, o.code, pol.policy, st.code
"""


@transaction.atomic
def rollup_refresh(*, user) -> int:
    """Rebuild the rollup from the reviews (one INSERT … SELECT); returns the number of rollup rows.

    National data: ``user`` must be a superuser (:func:`tenken.orgs.access.national_data_check`)."""
    from tenken.orgs.access import national_data_check

    national_data_check(user=user)
    pref = "SUBSTRING(o.code, 1, 2) || '000'" if connection.vendor == "postgresql" else "SUBSTR(o.code, 1, 2) || '000'"
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # After a bulk load the planner has no statistics for the new rows; without them it picks
            # nested loops and the refresh takes minutes instead of seconds.
            cur.execute("ANALYZE reviews_initiativereview, reviews_inspection, plans_initiative, plans_section, plans_plan")
        cur.execute("DELETE FROM national_statusrollup")
        cur.execute(_REFRESH_SQL.format(pref=pref))
        # store the full 6-digit prefecture code (with check digit) for display and joins
        cur.execute("SELECT DISTINCT prefecture_code FROM national_statusrollup")
        from tenken.orgs.lgcode import with_check_digit

        for (five,) in cur.fetchall():
            cur.execute("UPDATE national_statusrollup SET prefecture_code = %s WHERE prefecture_code = %s",
                        [with_check_digit(five[:5]), five])
    return StatusRollup.objects.count()


def _pivot(rows, key: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        out[r[key]][r["status_code"]] = r["n"]
    return dict(out)


def rollup_by_policy(*, fiscal_year: int) -> dict[str, dict[str, int]]:
    rows = (StatusRollup.objects.filter(fiscal_year=fiscal_year).values("policy", "status_code")
            .annotate(n=Sum("count")).order_by())
    return _pivot(rows, "policy")


def rollup_by_prefecture(*, fiscal_year: int) -> dict[str, dict[str, int]]:
    rows = (StatusRollup.objects.filter(fiscal_year=fiscal_year).values("prefecture_code", "status_code")
            .annotate(n=Sum("count")).order_by())
    return _pivot(rows, "prefecture_code")


def rollup_by_organization(*, fiscal_year: int, prefecture_code: str | None = None) -> dict[int, dict[str, int]]:
    qs = StatusRollup.objects.filter(fiscal_year=fiscal_year)
    if prefecture_code:
        qs = qs.filter(prefecture_code=prefecture_code)
    rows = qs.values("organization_id", "status_code").annotate(n=Sum("count")).order_by()
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for r in rows:
        out[r["organization_id"]][r["status_code"]] = r["n"]
    return dict(out)


def year_over_year(*, fiscal_year: int) -> dict[str, dict[str, int]]:
    """Per status, national count this year, the previous year and the change."""
    rows = (StatusRollup.objects.filter(fiscal_year__in=[fiscal_year - 1, fiscal_year])
            .values("fiscal_year", "status_code").annotate(n=Sum("count")).order_by())
    by = {(r["fiscal_year"], r["status_code"]): r["n"] for r in rows}
    codes = sorted({c for _fy, c in by})
    return {
        c: {"current": by.get((fiscal_year, c), 0), "previous": by.get((fiscal_year - 1, c), 0),
            "change": by.get((fiscal_year, c), 0) - by.get((fiscal_year - 1, c), 0)}
        for c in codes
    }


def raw_by_policy(*, fiscal_year: int) -> dict[str, dict[str, int]]:
    """The same as :func:`rollup_by_policy`, computed from the reviews themselves (for checking and
    benchmarking the rollup)."""
    sql = _POLICY_CTE + """
    SELECT pol.policy, st.code, COUNT(*)
    FROM reviews_initiativereview r
    JOIN reviews_inspection ins ON ins.id = r.inspection_id AND ins.kind = 'annual'
    JOIN plans_initiative i ON i.id = r.initiative_id
    JOIN pol ON pol.section_id = i.section_id
    JOIN plans_status st ON st.id = r.status_id
    WHERE r.approval = 'approved' AND r.fiscal_year = %s
    GROUP BY pol.policy, st.code
    """
    out: dict[str, dict[str, int]] = defaultdict(dict)
    with connection.cursor() as cur:
        cur.execute(sql, [fiscal_year])
        for title, code, n in cur.fetchall():
            out[title][code] = n
    return dict(out)
