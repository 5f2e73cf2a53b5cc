"""Indicators: report rows for 1,000 indicators, and one trend chart, each next to a same-run floor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .harness import Figure, timed

N_INDICATORS = 1_000
YEARS = range(2014, 2024)  # 10 actuals + baseline + target = 12 observations each


def _populate():
    from tenken.indicators.models import Indicator, Observation
    from tenken.orgs.services import organization_for_code

    org = organization_for_code(code="141003")  # 横浜市: keeps clear of other benchmarks' data
    indicators = Indicator.objects.bulk_create(
        Indicator(organization=org, name=f"指標{i:04d}", unit="件", direction="higher" if i % 2 else "lower", order=i)
        for i in range(N_INDICATORS)
    )
    obs = []
    for ind in indicators:
        obs.append(Observation(indicator=ind, kind="baseline", value=Decimal(100), as_of=date(2014, 3, 31), fiscal_year=2013))
        obs.append(Observation(indicator=ind, kind="target", value=Decimal(200), as_of=date(2024, 3, 31), fiscal_year=2023))
        for y in YEARS:
            obs.append(Observation(indicator=ind, kind="actual", value=Decimal(100 + 10 * (y - 2014)),
                                   as_of=date(y + 1, 3, 31), fiscal_year=y))
    Observation.objects.bulk_create(obs, batch_size=2_000)
    return org, indicators[0]


def run() -> list[Figure]:
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure as MplFigure

    from tenken.indicators.charts import indicator_chart_svg
    from tenken.indicators.models import Observation
    from tenken.indicators.selectors import indicator_report_rows

    org, first = _populate()
    floor = timed(lambda: list(Observation.objects.filter(indicator__organization=org).values_list(
        "indicator_id", "kind", "value", "as_of")))
    rows = timed(lambda: indicator_report_rows(organization=org))

    def bare_chart() -> None:
        fig = MplFigure(figsize=(6.4, 3.4))
        ax = fig.add_subplot()
        ax.plot(list(YEARS), list(YEARS), "o-")
        fig.savefig(io.StringIO(), format="svg")

    bare = timed(bare_chart)
    chart = timed(lambda: indicator_chart_svg(first))
    return [
        Figure(f"indicator_report_rows: {N_INDICATORS:,} indicators × 12 values", rows * 1000, "ms",
               "fetching the same observations as tuples", floor * 1000),
        Figure("indicator chart (SVG, Noto Sans CJK JP, text as paths)", chart * 1000, "ms",
               "bare matplotlib SVG line chart", bare * 1000),
    ]
