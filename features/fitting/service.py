"""Fitting: find the garment, its size chart and the caller's body; the fit engine does the judging.

Chart choice: a chart sent with the request, else the product page's size guide, else the brand's
chart for the garment group, else the built-in EN 13402-3 chart for the gender and group. Among
brand and built-in charts the size system (letter or EU) is the one that has the asked-for size,
or that names most of the sizes the product is sold in.
"""

from typing import Any

from config import Settings
from features.body_measurements import service as measurements_service
from features.fitting import fit_engine, size_charts
from features.garments import service as garments_service
from features.wardrobe import service as wardrobe_service
from shared.database import Database
from shared.errors import UnprocessableError, ValidationError
from shared.garment_catalog import PLATFORM_CATEGORY, SIZED_CATEGORIES, platform_category_named

Fields = dict[str, Any]  # a parsed request's fields (schemas.py), by name


class OwnChart(size_charts.SizeChart):
    """A chart that came with the garment (the request's or the product page's), named like a library chart."""

    id: str
    name: str
    source: str
    note: None
    approximation: bool


Chart = OwnChart | size_charts.LibraryChart


def check_fit(
    *, db: Database, settings: Settings, user_id: str, user_gender: str | None, data: Fields
) -> dict[str, Any]:
    """How one size (`size`) fits the caller; without `size`, every size plus the recommendation (data: the
    fields of a FitCheckRequest, checked: the size chart already in cm)."""
    size = data.get("size")
    context = _fitting_context(
        db=db,
        settings=settings,
        user_id=user_id,
        user_gender=user_gender,
        fields=data,
        size=size,
        inline_chart=data.get("size_chart"),
    )
    chart, body, garment = context["chart"], context["body"], context["garment"]
    if size is not None:
        label = size_charts.match_label(size, size_charts.labels(chart))
        size_entry = next(entry for entry in chart["sizes"] if entry["label"] == label)
        result = fit_engine.check_size(size=size_entry, body=body, garment=garment)
        return {**_summary(context), **result, "available": _availability(context["offered"], label)}
    checks = [
        {
            **fit_engine.check_size(size=entry, body=body, garment=garment),
            "available": _availability(context["offered"], entry["label"]),
        }
        for entry in chart["sizes"]
    ]
    recommendation = _recommendation(context)
    best = next(check for check in checks if check["size"] == recommendation["recommended_size"])
    return {**_summary(context), "size": None, "zones": best["zones"], "sizes": checks, **recommendation}


def recommend_size(
    *, db: Database, settings: Settings, user_id: str, user_gender: str | None, params: Fields
) -> dict[str, Any]:
    """The best size for the caller, ranked alternatives, a confidence and a one-sentence explanation (params:
    the fields of a RecommendationQuery, checked)."""
    context = _fitting_context(
        db=db, settings=settings, user_id=user_id, user_gender=user_gender, fields=params
    )
    return {**_summary(context), **_recommendation(context)}


def _fitting_context(
    *,
    db: Database,
    settings: Settings,
    user_id: str,
    user_gender: str | None,
    fields: Fields,
    size: str | None = None,
    inline_chart: size_charts.SizeChart | None = None,
) -> dict[str, Any]:
    """Everything the engine needs: garment, chart, body, preference, offered sizes, notes."""
    fit_preference = fields.get("fit_preference") or "regular"
    garment = _garment(db=db, settings=settings, user_id=user_id, fields=fields)
    group = _sized_group(garment)
    notes: list[str] = []
    body_gender = fields.get("gender") or fit_engine.GENDERS.get(str(user_gender or "").lower())
    chart_gender = body_gender or _default_gender(garment["platform_category"], notes)
    chart = _chart(
        inline_chart=inline_chart, garment=garment, group=group, gender=chart_gender, size=size, notes=notes
    )
    zones = fit_engine.chart_zones(chart["sizes"])
    measurements = measurements_service.get_or_none(db=db, user_id=user_id)
    body = fit_engine.body_from_measurements(measurements, gender=body_gender, zones=zones)
    if not body.values:
        fields_needed = fit_engine.helpful_measurements(zones)
        raise UnprocessableError(
            f"Add your body measurements first: this size chart needs {', '.join(fields_needed)}",
            code="MEASUREMENTS_REQUIRED",
            details={"fields": fields_needed},
        )
    return {
        "garment": fit_engine.Garment(
            platform_category=garment["platform_category"],
            stretch_percent=fit_engine.stretch_percent(garment["fabric"]),
        ),
        "garment_info": garment,
        "chart": chart,
        "gender": chart_gender,
        "body": body,
        "zones": zones,
        "fit_preference": fit_preference,
        "offered": _offered_labels(garment["sizes"], chart),
        "notes": notes,
    }


def _garment(*, db: Database, settings: Settings, user_id: str, fields: Fields) -> dict[str, Any]:
    """The garment from a wardrobe item, a product page or the request alone; the request's values win."""
    overrides = {
        key: fields[name]
        for name, key in (("category", "platform_category"), ("brand", "brand"), ("fabric", "fabric"))
        if fields.get(name) is not None
    }
    item_id, url = fields.get("wardrobe_item_id"), fields.get("url")
    garment: dict[str, Any] = {
        "source": "request",
        "wardrobe_item_id": None,
        "url": None,
        "title": None,
        "brand": None,
        "platform_category": None,
        "fabric": [],
        "owned_size": None,
        "sizes": [],
        "size_chart": None,
    }
    if item_id is not None:
        item = wardrobe_service.get_item(db=db, user_id=user_id, item_id=item_id)
        garment.update(
            source="wardrobe_item",
            wardrobe_item_id=item_id,
            title=item.get("title"),
            brand=item.get("brand"),
            platform_category=item.get("category"),
            fabric=item.get("fabric") or [],
            owned_size=item.get("size"),
        )
    elif url:
        product = garments_service.get_product(db=db, settings=settings, url=url, html=fields.get("html"))
        garment.update(
            source="url",
            url=url,
            title=product.get("title"),
            brand=product.get("brand"),
            platform_category=platform_category_named(product.get("category")),
            fabric=product.get("fabric") or [],
            sizes=product.get("sizes") or [],
            size_chart=product.get("size_chart"),
        )
    return {**garment, **overrides}


def _sized_group(garment: dict[str, Any]) -> str:
    platform_category = garment["platform_category"]
    if platform_category not in PLATFORM_CATEGORY:
        problem = {
            "wardrobe_item": "The wardrobe item has no platform category; send category",
            "url": "The product page does not say what kind of garment it is; send category",
        }.get(garment["source"], "Say which garment to fit: send wardrobe_item_id, url, or category")
        raise ValidationError(
            f"{problem} (one of: {', '.join(PLATFORM_CATEGORY)})",
            code="CATEGORY_REQUIRED",
            details={"field": "category", "allowed": list(PLATFORM_CATEGORY)},
        )
    group = PLATFORM_CATEGORY[platform_category].fit_group
    if group is None:
        raise UnprocessableError(
            f"{platform_category} have no body sizes to fit; fitting covers {', '.join(SIZED_CATEGORIES)}",
            code="CATEGORY_NOT_SIZED",
            details={"category": platform_category, "sized_categories": list(SIZED_CATEGORIES)},
        )
    return group


def _chart(
    *,
    inline_chart: size_charts.SizeChart | None,
    garment: dict[str, Any],
    group: str,
    gender: str,
    size: str | None,
    notes: list[str],
) -> Chart:
    """The chart to use (see the module docstring); UNKNOWN_SIZE when no candidate has `size`."""
    candidates: list[Chart] = []
    if inline_chart is not None:
        candidates.append(_own_chart(inline_chart, source="request", name="Size chart sent with the request"))
    else:
        if garment["size_chart"] is not None:
            try:
                candidates.append(
                    _own_chart(
                        size_charts.parse_chart(garment["size_chart"]),
                        source="product",
                        name="Size guide on the product page",
                    )
                )
            except size_charts.InvalidSizeChart as exc:
                notes.append(f"The product page's size guide could not be used: {exc}.")
        if garment["brand"]:
            candidates += size_charts.library_charts(group=group, gender=gender, brand=garment["brand"])
        candidates += size_charts.library_charts(group=group, gender=gender)
    chart = size_charts.pick_chart(
        candidates, size=size, offered_names=[entry.get("name") for entry in garment["sizes"]]
    )
    if chart is None:
        known = list(
            dict.fromkeys(label for candidate in candidates for label in size_charts.labels(candidate))
        )
        raise ValidationError(
            f"Size '{size}' is not in the size chart; its sizes are: {', '.join(known)}",
            code="UNKNOWN_SIZE",
            details={"size": size, "labels": known},
        )
    return chart


def _own_chart(parsed: size_charts.SizeChart, *, source: str, name: str) -> OwnChart:
    """A chart that came with this garment (request or product page), parsed (size_charts.parse_chart)."""
    return {"id": source, "name": name, "source": source, "note": None, "approximation": False, **parsed}


def _default_gender(platform_category: str, notes: list[str]) -> str:
    gender = PLATFORM_CATEGORY[platform_category].chart_gender
    notes.append(
        f"Your profile has no gender, so {gender}'s sizes were used for {platform_category}; "
        "send gender=women or gender=men, or set it in your profile."
    )
    return gender


def _recommendation(context: dict[str, Any]) -> dict[str, Any]:
    """The engine's recommendation among the sizes the product is sold in (all sizes when unknown)."""
    sizes = [entry for entry in context["chart"]["sizes"] if entry["label"] in context["offered"]]
    recommendation = fit_engine.recommend(
        sizes=sizes or context["chart"]["sizes"],
        body=context["body"],
        garment=context["garment"],
        fit_preference=context["fit_preference"],
    )
    offered = context["offered"]
    return {
        **recommendation,
        "available": _availability(offered, recommendation["recommended_size"]),
        "alternatives": [
            {**alternative, "available": _availability(offered, alternative["size"])}
            for alternative in recommendation["alternatives"]
        ],
    }


def _summary(context: dict[str, Any]) -> dict[str, Any]:
    """What every answer says about the garment, the chart and the body it used."""
    info, chart, body = context["garment_info"], context["chart"], context["body"]
    return {
        "garment": {
            "source": info["source"],
            "wardrobe_item_id": info["wardrobe_item_id"],
            "url": info["url"],
            "title": info["title"],
            "brand": info["brand"],
            "category": info["platform_category"],
            "owned_size": info["owned_size"],
            "stretch_percent": context["garment"].stretch_percent,
        },
        "chart_source": chart["source"],
        "chart": {
            "id": chart["id"],
            "name": chart["name"],
            "labels": size_charts.labels(chart),
            "approximation": chart["approximation"],
            "note": chart["note"],
        },
        "gender": context["gender"],
        "fit_preference": context["fit_preference"],
        "estimated": bool(body.estimated),
        "estimated_measurements": [zone for zone in context["zones"] if zone in body.estimated],
        "missing_measurements": [
            zone for zone in context["zones"] if zone not in body.values or zone in body.estimated
        ],
        "notes": context["notes"],
    }


def _offered_labels(product_sizes: list[dict[str, Any]], chart: Chart) -> dict[str, bool | None]:
    """{chart label: True / False / None (unknown)} for the sizes the product page lists as sold."""
    states: dict[str, list[bool | None]] = {}
    for entry in product_sizes:
        label = size_charts.match_label(entry.get("name") or "", size_charts.labels(chart))
        if label is not None:
            states.setdefault(label, []).append(entry.get("available"))
    return {
        label: True if True in found else (False if all(state is False for state in found) else None)
        for label, found in states.items()
    }


def _availability(offered: dict[str, bool | None], label: str | None) -> bool | None:
    """Whether the product sells the size in stock: None when the page lists no sizes we recognise."""
    if not offered:
        return None
    return offered.get(label, False) if label is not None else False
