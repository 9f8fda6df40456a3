"""Wardrobe: sections, categories and items, each always scoped to one user.

Another user's section, category or item answers exactly like a missing one (404), so ids reveal
nothing about other accounts. Items added from a product URL take their details from the page
(fields the client sent win) and store the page's main garment image.
"""

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict

from config import Settings
from features.garments import service as garments_service
from features.users import model as user_model
from features.wardrobe import category_model, model
from features.wardrobe.fields import (
    ITEM_TEXT_LIMITS,
    clean_currency,
    clean_fabric,
    clean_price,
    clean_section_name,
    optional_text,
)
from features.wardrobe.schemas import CategoryInput, SectionInput
from shared.ai_models.gemini_file_rows import deleting_user_photos
from shared.database import Database, Row, SqlValue
from shared.errors import ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError
from shared.image_processing import preprocess_image
from shared.storage import Storage
from shared.validators import validate_integer, validate_required, validate_text, validate_url

if TYPE_CHECKING:
    from shared.ai_models.gemini_files import UploadedPhotos

CategoryRef = int | str  # one of the caller's categories by id, or a platform or caller's category by name
FoundCategory = tuple[Row, None] | tuple[None, Row]  # (platform row, None) or (None, caller's row)
IMAGE_FOLDERS = ("wardrobe/",)  # where this feature stores files: "wardrobe/<user_id>/<garment_id>.png"


class SectionDeleted(TypedDict):
    id: int
    name: str
    deleted: bool


class CategoryDeleted(SectionDeleted):
    items_uncategorized: int


class ItemDeleted(TypedDict):
    id: int
    deleted: bool


class Pagination(TypedDict):
    total: int
    limit: int
    offset: int


# --- sections ------------------------------------------------------------------------------------
def list_sections(*, db: Database, user_id: str) -> list[dict[str, Any]]:
    """Platform sections and the caller's own, in display order."""
    return [category_model.section_to_dict(row) for row in category_model.sections_visible_to(db, user_id)]


def get_section(*, db: Database, user_id: str, section_id: int) -> dict[str, Any]:
    """One platform section or one of the caller's sections."""
    return category_model.section_to_dict(_visible_section(db, user_id, section_id))


def create_section(*, db: Database, user_id: str, data: SectionInput) -> dict[str, Any]:
    """A new section of the caller's (data: a parsed SectionInput); its name may not repeat one of theirs or a
    platform section's."""
    values = data.given()
    validate_required(values, ["name"])
    if not values.get("display_name"):  # left out or sent as null: made from the name
        values["display_name"] = values["name"].replace("_", " ").title()
    with _one_change_at_a_time(db, user_id):
        _check_section_name_free(db, user_id, values["name"])
        if values.get("sort_order") is None:
            values["sort_order"] = category_model.next_section_sort_order(db, user_id)
        row = _found_section(category_model.insert_section(db, user_id, values))
    return category_model.section_to_dict(row)


def update_section(*, db: Database, user_id: str, section_id: int, data: SectionInput) -> dict[str, Any]:
    """Change one of the caller's sections (data: a parsed SectionInput); a rename carries over to their
    categories and items in it."""
    values = data.given()
    _refuse_cleared(values, ("name", "display_name"))
    if "sort_order" in values and values["sort_order"] is None:
        del values["sort_order"]
    with _one_change_at_a_time(db, user_id):
        section = _own_section(db, user_id, section_id)
        if values.get("name", section["name"]) != section["name"]:
            _check_section_name_free(db, user_id, values["name"])
        if not values:
            return category_model.section_to_dict(section)
        row = _found_section(category_model.update_section(db, section, values))
    return category_model.section_to_dict(row)


def delete_section(*, db: Database, user_id: str, section_id: int) -> SectionDeleted:
    """Delete one of the caller's sections; refused while categories or items still use it."""
    with _one_change_at_a_time(db, user_id):
        section = _own_section(db, user_id, section_id)
        usage = category_model.section_usage(db, user_id, section["name"])
        if usage["categories"] or usage["items"]:
            raise ConflictError(
                f"Section '{section['name']}' still holds {usage['categories']} categories and {usage['items']} "
                "items; move them to another section first",
                code="SECTION_IN_USE",
                details=usage,
            )
        category_model.delete_section(db, section["id"])
    return {"id": section["id"], "name": section["name"], "deleted": True}


@contextmanager
def _one_change_at_a_time(db: Database, user_id: str) -> Iterator[None]:
    """A block holding the user's row: the checks it makes (a free name, an existing or unused section) still
    hold when it writes, whatever the user's other requests do meanwhile."""
    with db.transaction():
        user_model.lock(db, user_id)
        yield


def _check_section_name_free(db: Database, user_id: str, name: str) -> None:
    existing = category_model.section_by_name(db, user_id, name)
    if existing is None:
        return
    if existing["user_id"] is None:
        raise ConflictError(
            f"'{name}' is a platform section; choose another name",
            code="SECTION_NAME_RESERVED",
            details={"field": "name"},
        )
    raise _section_exists(name)


def _section_exists(name: str) -> ConflictError:
    return ConflictError(
        f"You already have a section called '{name}'", code="SECTION_EXISTS", details={"field": "name"}
    )


def _visible_section(db: Database, user_id: str, section_id: int) -> Row:
    return _found_section(category_model.section_visible_to(db, user_id, section_id))


def _found_section(section: Row | None) -> Row:
    """The section read back; 404 for one that is not there (or not the caller's)."""
    if section is None:
        raise NotFoundError("Category section not found", code="SECTION_NOT_FOUND")
    return section


def _own_section(db: Database, user_id: str, section_id: int) -> Row:
    section = _visible_section(db, user_id, section_id)
    if section["user_id"] is None:
        raise ForbiddenError(
            f"'{section['name']}' is a platform section and cannot be changed",
            code="PLATFORM_SECTION_READ_ONLY",
        )
    return section


def _require_section(db: Database, user_id: str, name: str | None) -> Row:
    """The section called name (platform or the caller's); 400 listing the valid names otherwise."""
    section = category_model.section_by_name(db, user_id, name) if name else None
    if section is None:
        allowed = [row["name"] for row in category_model.sections_visible_to(db, user_id)]
        message = f"category_section '{name}' does not exist" if name else "category_section is required"
        raise ValidationError(
            f"{message}; use one of: {', '.join(allowed)}",
            code="INVALID_CATEGORY_SECTION" if name else "MISSING_FIELDS",
            details={"field": "category_section", "allowed": allowed},
        )
    return section


# --- categories ----------------------------------------------------------------------------------
def list_categories(
    *, db: Database, user_id: str, search: object = None, category_section: object = None
) -> list[dict[str, Any]]:
    """Platform and caller's categories grouped under their sections (sections without a match are left
    out when searching)."""
    search_text = validate_text(search, "search", max_length=200) or None
    section_name = clean_section_name(category_section) if category_section else None
    if section_name:
        _require_section(db, user_id, section_name)
    categories = [
        category_model.platform_category_to_dict(row)
        for row in category_model.platform_categories(db, search_text, section_name)
    ] + [
        category_model.user_category_to_dict(row)
        for row in category_model.user_categories(db, user_id, search_text, section_name)
    ]
    groups: list[dict[str, Any]] = []
    for section in category_model.sections_visible_to(db, user_id):
        if section_name and section["name"] != section_name:
            continue
        members = [category for category in categories if category["category_section"] == section["name"]]
        if members or not search_text:
            groups.append({**category_model.section_to_dict(section), "categories": members})
    return groups


def get_category(*, db: Database, user_id: str, category_ref: CategoryRef) -> dict[str, Any]:
    """A platform category (by name) or one of the caller's categories (by id or name)."""
    found = _find_category(db, user_id, category_ref)
    if found[0] is not None:
        return category_model.platform_category_to_dict(found[0])
    return category_model.user_category_to_dict(found[1])


def create_category(*, db: Database, user_id: str, data: CategoryInput) -> dict[str, Any]:
    """A new category of the caller's, in an existing section (data: a parsed CategoryInput)."""
    values = data.given()
    validate_required(values, ["name", "category_section"])
    with _one_change_at_a_time(db, user_id):
        _require_section(db, user_id, values["category_section"])
        _check_category_name_free(db, user_id, values["name"])
        row = _found_category(category_model.insert_user_category(db, user_id, values))
    return category_model.user_category_to_dict(row)


def update_category(
    *, db: Database, user_id: str, category_ref: CategoryRef, data: CategoryInput
) -> dict[str, Any]:
    """Change one of the caller's categories (data: a parsed CategoryInput); platform categories are read-only."""
    category = _own_category(db, user_id, category_ref)
    values = data.given()
    _refuse_cleared(values, ("name", "category_section"))
    with _one_change_at_a_time(db, user_id):
        category = _own_category(db, user_id, category["id"])
        if "category_section" in values:
            _require_section(db, user_id, values["category_section"])
        if "name" in values and values["name"].lower() != category["name"].lower():
            _check_category_name_free(db, user_id, values["name"])
        if not values:
            return category_model.user_category_to_dict(category)
        row = _found_category(category_model.update_user_category(db, category, values))
    return category_model.user_category_to_dict(row)


def delete_category(*, db: Database, user_id: str, category_ref: CategoryRef) -> CategoryDeleted:
    """Delete one of the caller's categories; its items stay in the wardrobe without a category."""
    category = _own_category(db, user_id, category_ref)
    uncategorized = category_model.delete_user_category(db, category)
    return {
        "id": category["id"],
        "name": category["name"],
        "deleted": True,
        "items_uncategorized": uncategorized,
    }


def _check_category_name_free(db: Database, user_id: str, name: str) -> None:
    if category_model.platform_name_taken(db, name):
        raise ConflictError(
            f"'{name}' is a platform category; use it directly or choose another name",
            code="CATEGORY_NAME_RESERVED",
            details={"field": "name"},
        )
    if category_model.user_category_by_name(db, user_id, name) is not None:
        raise _category_exists(name)


def _category_exists(name: str) -> ConflictError:
    return ConflictError(
        f"You already have a category called '{name}'", code="CATEGORY_EXISTS", details={"field": "name"}
    )


def _find_category(db: Database, user_id: str, category_ref: CategoryRef) -> FoundCategory:
    """(platform row, None) or (None, caller's row) for an id or a name; 404 for anything else."""
    platform = (
        None if isinstance(category_ref, int) else category_model.platform_category_by_name(db, category_ref)
    )
    if platform is not None:
        return platform, None
    own = (
        category_model.user_category(db, user_id, category_ref)
        if isinstance(category_ref, int)
        else category_model.user_category_by_name(db, user_id, category_ref)
    )
    return None, _found_category(own)


def _found_category(category: Row | None) -> Row:
    """The category read back; 404 for one that is not there (or not the caller's), e.g. deleted meanwhile."""
    if category is None:
        raise NotFoundError("Category not found", code="CATEGORY_NOT_FOUND")
    return category


def _own_category(db: Database, user_id: str, category_ref: CategoryRef) -> Row:
    found = _find_category(db, user_id, category_ref)
    if found[0] is not None:
        raise ForbiddenError(
            f"'{found[0]['name']}' is a platform category and cannot be changed",
            code="PLATFORM_CATEGORY_READ_ONLY",
        )
    return found[1]


def _refuse_cleared(values: Mapping[str, Any], required: Iterable[str]) -> None:
    """An update may change but not empty the fields a resource cannot do without."""
    for name in required:
        if name in values and not values[name]:
            raise ValidationError(
                f"{name} cannot be empty", code="MISSING_FIELDS", details={"fields": [name]}
            )


# --- items ---------------------------------------------------------------------------------------
def list_items(
    *,
    db: Database,
    user_id: str,
    limit: int,
    offset: int,
    category: object = None,
    category_id: object = None,
    category_section: object = None,
    search: object = None,
) -> tuple[list[dict[str, Any]], Pagination]:
    """(items newest first, pagination {total, limit, offset}) for the caller, filtered."""
    search_text = validate_text(search, "search", max_length=200) or None
    section = None
    platform_category = None
    category_ids: list[int] = []
    if category_section:
        section = _require_section(db, user_id, clean_section_name(category_section))["name"]
    own_id = validate_integer(category_id, "category_id")
    if own_id is not None:
        category_ids.append(_own_category(db, user_id, own_id)["id"])
    if category:
        found = _find_category(db, user_id, validate_text(category, "category", max_length=255) or "")
        if found[0] is not None:
            platform_category = found[0]["name"]
        else:
            category_ids.append(found[1]["id"])
    rows, total = model.list_for_user(
        db,
        user_id,
        limit=limit,
        offset=offset,
        platform_category=platform_category,
        category_ids=category_ids,
        section=section,
        search=search_text,
    )
    return [model.to_dict(row) for row in rows], {"total": total, "limit": limit, "offset": offset}


def get_item(*, db: Database, user_id: str, item_id: int) -> dict[str, Any]:
    """One of the caller's items; 404 ITEM_NOT_FOUND for a missing item or another user's."""
    return model.to_dict(_own_item(db, user_id, item_id))


def create_item(
    *,
    db: Database,
    storage: Storage,
    settings: Settings,
    user_id: str,
    data: Mapping[str, Any],
    html: str | None = None,
    image_data: bytes | None = None,
    image_filename: str | None = None,
    on_created: Callable[[dict[str, Any]], None] = lambda item: None,
) -> dict[str, Any]:
    """Add an item from an uploaded image, or from a product URL (details and main image from the page); data:
    the item fields of a parsed NewItemInput.

    `on_created` is called with the item inside the transaction that stores it: what it writes (the request's
    idempotent answer) commits with the item or not at all, and the image file goes with them.
    """
    values = {name: value for name, value in data.items() if value is not None}
    if image_data is None and "garment_url" not in values:
        raise ValidationError(
            "Send the garment as a garment_image file or a garment_url",
            code="MISSING_GARMENT",
            details={"fields": ["garment_image", "garment_url"]},
        )
    values.update(_category_columns(db, user_id, values))
    values["category_section"] = values.get("category_section") or _implied_section(db, user_id, values)
    if values["category_section"] or image_data is not None:
        _require_section(db, user_id, values["category_section"])
    if image_data is None:
        product = garments_service.get_product(db=db, settings=settings, url=values["garment_url"], html=html)
        values = _with_product_details(db, values, product)
        _require_section(db, user_id, values["category_section"])
        png = _stored_png(
            settings, _main_product_image(settings, product), max_bytes=settings.SCRAPER_MAX_IMAGE_BYTES
        )
    else:
        png = _stored_png(settings, image_data, image_filename, max_bytes=settings.MAX_UPLOAD_SIZE)
    values["garment_id"] = uuid.uuid4().hex
    values["image_path"] = storage.upload_image(png, _image_key(user_id, values["garment_id"]))
    try:
        with _one_change_at_a_time(db, user_id):  # the section checked above may have been deleted since
            _require_section(db, user_id, values["category_section"])
            item = model.to_dict(model.insert(db, user_id, values))
            on_created(item)
    except BaseException:
        storage.delete_image(values["image_path"])
        raise
    return item


def update_item(
    *,
    db: Database,
    storage: Storage,
    settings: Settings,
    user_id: str,
    item_id: int,
    data: Mapping[str, Any],
    image_data: bytes | None = None,
    image_filename: str | None = None,
    gemini_photos: "UploadedPhotos | None" = None,
) -> dict[str, Any]:
    """Change the given fields of one of the caller's items (data: those of a parsed WardrobeItemInput; null
    clears); a new image replaces the old file (and the user's photos uploaded to Gemini are deleted there)."""
    item = _own_item(db, user_id, item_id)
    values = dict(data)
    if "category_section" in values:
        _require_section(db, user_id, values["category_section"])
    values.update(_category_columns(db, user_id, values))
    if image_data is None:
        return model.to_dict(_found_item(model.update(db, user_id, item_id, values)) if values else item)
    png = _stored_png(settings, image_data, image_filename, max_bytes=settings.MAX_UPLOAD_SIZE)
    # A new garment_id gives the new image a new file name and URL, so no client or cache keeps
    # showing the old picture, and the old file stays intact until the row points at the new one.
    values["garment_id"] = uuid.uuid4().hex
    values["image_path"] = storage.upload_image(png, _image_key(user_id, values["garment_id"]))
    try:
        with deleting_user_photos(db, user_id, gemini_photos):
            row = _found_item(model.update(db, user_id, item_id, values))
    except BaseException:
        storage.delete_image(values["image_path"])
        raise
    if item["image_path"]:
        storage.delete_image(item["image_path"])
    return model.to_dict(row)


def delete_item(
    *,
    db: Database,
    storage: Storage,
    user_id: str,
    item_id: int,
    gemini_photos: "UploadedPhotos | None" = None,
) -> ItemDeleted:
    """Delete one of the caller's items and its image file (and the user's photos uploaded to Gemini, there)."""
    item = _own_item(db, user_id, item_id)
    with deleting_user_photos(db, user_id, gemini_photos):
        model.delete(db, user_id, item_id)
    if item["image_path"]:
        storage.delete_image(item["image_path"])
    return {"id": item["id"], "deleted": True}


def delete_all_for_user(*, db: Database, storage: Storage, user_id: str) -> None:
    """Remove every wardrobe item, category and section of the user, and their image files."""
    model.delete_all_for_user(db, user_id)
    storage.delete_prefix(f"wardrobe/{user_id}/")


def extract_from_url(
    *, db: Database, settings: Settings, url: object, html: str | None = None
) -> dict[str, Any]:
    """The product details of a page (optionally from the client's copy of its HTML); nothing is stored."""
    return garments_service.get_product(db=db, settings=settings, url=validate_url(url, "url"), html=html)


def _own_item(db: Database, user_id: str, item_id: int) -> dict[str, Any]:
    return _found_item(model.get(db, user_id, item_id))


def _found_item(row: dict[str, Any] | None) -> dict[str, Any]:
    """The item read back; 404 for one that is not there (or not the caller's), e.g. deleted meanwhile."""
    if row is None:
        raise NotFoundError("Wardrobe item not found", code="ITEM_NOT_FOUND")
    return row


def _image_key(user_id: str, garment_id: str) -> str:
    return f"wardrobe/{user_id}/{garment_id}.png"


def _category_columns(db: Database, user_id: str, values: dict[str, Any]) -> dict[str, SqlValue]:
    """The stored columns for the category the client chose: by id (theirs) or by name (platform or theirs).

    An item has one category: choosing a platform category clears the user category and back;
    sending only nulls clears the category.
    """
    given = [values.pop(name) for name in ("category_id", "category") if name in values]
    if not given:
        return {}
    chosen = [_find_category(db, user_id, ref) for ref in given if ref is not None]
    if len(chosen) == 2 and chosen[0] != chosen[1]:
        raise ValidationError(
            "category and category_id name different categories; send one of them",
            code="CONFLICTING_CATEGORY",
            details={"fields": ["category", "category_id"]},
        )
    platform, own = chosen[0] if chosen else (None, None)
    return {
        "category": platform["name"] if platform else None,
        "platform_category_id": platform["id"] if platform else None,
        "category_id": own["id"] if own else None,
    }


def _implied_section(db: Database, user_id: str, values: Mapping[str, Any]) -> str | None:
    """The section of the item's category, for items sent without a section."""
    section: str | None = None
    if values.get("category_id"):
        section = _found_category(category_model.user_category(db, user_id, values["category_id"]))[
            "category_section"
        ]
    elif values.get("category"):
        section = _found_category(category_model.platform_category_by_name(db, values["category"]))[
            "section_name"
        ]
    return section


def _main_product_image(settings: Settings, product: Mapping[str, Any]) -> bytes:
    images = product.get("images") or []
    if not images:
        raise UnprocessableError(
            "The product page shows no garment image; upload the photo as garment_image",
            code="NO_PRODUCT_IMAGE",
        )
    return garments_service.fetch_image(settings=settings, url=images[0])


def _stored_png(
    settings: Settings, image_data: bytes, filename: str | None = None, *, max_bytes: int
) -> bytes:
    """The image as we store it: validated, EXIF-rotated, metadata stripped, PNG within the size setting."""
    return preprocess_image(
        image_data,
        filename=filename,
        max_dimension=settings.WARDROBE_IMAGE_MAX_DIMENSION,
        max_bytes=max_bytes,
        max_input_dimension=settings.MAX_IMAGE_DIMENSION,
    )


def _with_product_details(
    db: Database, values: Mapping[str, Any], product: Mapping[str, Any]
) -> dict[str, Any]:
    """The client's values completed with what the product page says; the client's own values win."""
    merged: dict[str, Any] = {**_product_details(product), "is_external": True, **values}
    platform = (
        category_model.platform_category_by_name(db, product["category"])  # the kind names its category
        if isinstance(product.get("category"), str)
        else None
    )
    if platform is not None and "platform_category_id" not in values and "category_id" not in values:
        merged.update(category=platform["name"], platform_category_id=platform["id"])
    if not merged["category_section"]:
        merged["category_section"] = platform["section_name"] if platform else _platform_section(db, product)
    return merged


def _platform_section(db: Database, product: Mapping[str, Any]) -> str | None:
    name = product.get("category_section")
    section = category_model.section_by_name(db, None, name) if isinstance(name, str) else None
    return section["name"] if section else None


def _product_details(product: Mapping[str, Any]) -> dict[str, object]:
    """Item fields from an extracted product page, each kept only if it passes the item field rules.

    Pages are messy (compositions per layer that add up to 200 %, prices as objects); a value the
    rules refuse is left out rather than refusing the item the user asked to save.
    """
    colors = product.get("colors") or []
    first_color = colors[0].get("name") if colors and isinstance(colors[0], dict) else (colors or [None])[0]
    candidates: dict[str, tuple[object, Callable[[object], object]]] = {
        **{name: (product.get(name), _text_rule(name)) for name in ("title", "brand", "description")},
        "color": (first_color, _text_rule("color")),
        "price": (product.get("price"), clean_price),
        "currency": (product.get("currency"), clean_currency),
        "fabric": (product.get("fabric"), clean_fabric),
    }
    details: dict[str, object] = {}
    for name, (raw, cleaner) in candidates.items():
        try:
            cleaned = cleaner(raw) if raw is not None else None
        except ValidationError:
            continue
        if cleaned not in (None, []):
            details[name] = cleaned
    return details


def _text_rule(name: str) -> Callable[[object], str | None]:
    """The item field rule for the text field called name."""
    return partial(optional_text, field_name=name, max_length=ITEM_TEXT_LIMITS[name])


def image_paths_in_use(*, db: Database) -> list[str]:
    """The stored paths of every item's image (the files under IMAGE_FOLDERS rows point to)."""
    return model.stored_image_paths(db)
