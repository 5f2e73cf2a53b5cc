"""Staff pages for indicators: list, detail with its trend chart, and the chart as PNG.

Access is decided in :mod:`tenken.indicators.access`; data comes from selectors and charts.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from .access import indicator_for_view, indicators_for_user
from .charts import indicator_chart_png, indicator_chart_svg
from .selectors import format_value, indicator_observations, indicator_row, indicator_rows, indicator_versions


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = indicators_for_user(user=request.user)
    return render(request, "indicators/list.html", {"rows": indicator_rows(indicators)})


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_for_view(user=request.user, pk=pk)
    context = {
        "indicator": indicator,
        "row": indicator_row(indicator),
        "observations": [(o, format_value(o.value, indicator.decimals)) for o in indicator_observations(indicator)],
        "versions": indicator_versions(indicator),
        "sections": list(indicator.sections.all()),
        "initiatives": list(indicator.initiatives.all()),
        # matplotlib writes the SVG; text is drawn as paths, so no user string is inserted as markup.
        "chart_svg": mark_safe(indicator_chart_svg(indicator)),
    }
    return render(request, "indicators/detail.html", context)


@login_required
def indicator_chart(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_for_view(user=request.user, pk=pk)
    return HttpResponse(indicator_chart_png(indicator), content_type="image/png")
