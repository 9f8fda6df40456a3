"""HTTP endpoints under /api/wardrobe: items, categories, category sections and URL extraction.

User categories are addressed by id (`/categories/12`), platform categories by name
(`/categories/dresses`): the two live in separate tables whose ids overlap.
"""
from flask import Blueprint, current_app, g, request

from features.wardrobe import service
from shared.database import get_db
from shared.errors import ValidationError
from shared.middleware import require_auth
from shared.rate_limit import at_once_per_client, limit
from shared.request_data import body_fields, json_limit, pagination_args, read_upload
from shared.response import success_response
from shared.storage import get_storage

bp = Blueprint("wardrobe", __name__, url_prefix="/api/wardrobe")

IMAGE_FIELD = "garment_image"


# --- sections ------------------------------------------------------------------------------------
@bp.get("/category-sections")
@require_auth
def get_category_sections():
    return success_response(service.list_sections(db=get_db(), user_id=g.user_id))


@bp.post("/category-sections")
@require_auth
def create_category_section():
    section = service.create_section(db=get_db(), user_id=g.user_id, data=body_fields())
    return success_response(section, "Category section created", 201)


@bp.get("/category-sections/<int:section_id>")
@require_auth
def get_category_section(section_id):
    return success_response(service.get_section(db=get_db(), user_id=g.user_id, section_id=section_id))


@bp.put("/category-sections/<int:section_id>")
@require_auth
def update_category_section(section_id):
    section = service.update_section(db=get_db(), user_id=g.user_id, section_id=section_id, data=body_fields())
    return success_response(section, "Category section updated")


@bp.delete("/category-sections/<int:section_id>")
@require_auth
def delete_category_section(section_id):
    result = service.delete_section(db=get_db(), user_id=g.user_id, section_id=section_id)
    return success_response(result, "Category section deleted")


# --- categories ----------------------------------------------------------------------------------
@bp.get("/categories")
@require_auth
def get_categories():
    groups = service.list_categories(db=get_db(), user_id=g.user_id, search=request.args.get("search"),
                                     category_section=request.args.get("category_section"))
    return success_response(groups)


@bp.post("/categories")
@require_auth
def create_category():
    category = service.create_category(db=get_db(), user_id=g.user_id, data=body_fields())
    return success_response(category, "Category created", 201)


@bp.get("/categories/<int:category_ref>")
@bp.get("/categories/<category_ref>")
@require_auth
def get_category(category_ref):
    return success_response(service.get_category(db=get_db(), user_id=g.user_id, category_ref=category_ref))


@bp.put("/categories/<int:category_ref>")
@bp.put("/categories/<category_ref>")
@require_auth
def update_category(category_ref):
    category = service.update_category(db=get_db(), user_id=g.user_id, category_ref=category_ref,
                                       data=body_fields())
    return success_response(category, "Category updated")


@bp.delete("/categories/<int:category_ref>")
@bp.delete("/categories/<category_ref>")
@require_auth
def delete_category(category_ref):
    result = service.delete_category(db=get_db(), user_id=g.user_id, category_ref=category_ref)
    moved = result["items_uncategorized"]
    message = "Category deleted" + (f"; {moved} item(s) kept without a category" if moved else "")
    return success_response(result, message)


# --- items ---------------------------------------------------------------------------------------
@bp.get("/items")
@require_auth
def get_wardrobe_items():
    page_size, offset = pagination_args()
    items, pagination = service.list_items(
        db=get_db(), user_id=g.user_id, limit=page_size, offset=offset, category=request.args.get("category"),
        category_id=request.args.get("category_id"), category_section=request.args.get("category_section"),
        search=request.args.get("search"))
    sign = get_storage().url_signer()
    return success_response([_with_image_url(item, sign) for item in items], pagination=pagination)


@bp.post("/items")
@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")
@json_limit("max_page_body_size")
@require_auth
def add_garment():
    fields, html = _item_fields()
    image_data, image_filename = _uploaded_image()
    storage = get_storage()
    item = service.create_item(db=get_db(), storage=storage, settings=current_app.extensions["settings"],
                               user_id=g.user_id, data=fields, html=html, image_data=image_data,
                               image_filename=image_filename)
    return success_response(_with_image_url(item, storage.url_signer()), "Item added to your wardrobe", 201)


@bp.get("/items/<int:item_id>")
@require_auth
def get_wardrobe_item(item_id):
    item = service.get_item(db=get_db(), user_id=g.user_id, item_id=item_id)
    return success_response(_with_image_url(item, get_storage().url_signer()))


@bp.put("/items/<int:item_id>")
@require_auth
def update_wardrobe_item(item_id):
    fields, html = _item_fields()
    if html is not None:
        raise ValidationError("html is only used when adding an item from a garment_url", code="UNKNOWN_FIELDS",
                              details={"fields": ["html"]})
    image_data, image_filename = _uploaded_image()
    storage = get_storage()
    item = service.update_item(db=get_db(), storage=storage, settings=current_app.extensions["settings"],
                               user_id=g.user_id, item_id=item_id, data=fields, image_data=image_data,
                               image_filename=image_filename)
    return success_response(_with_image_url(item, storage.url_signer()), "Item updated")


@bp.delete("/items/<int:item_id>")
@require_auth
def delete_wardrobe_item(item_id):
    result = service.delete_item(db=get_db(), storage=get_storage(), user_id=g.user_id, item_id=item_id)
    return success_response(result, "Item deleted")


@bp.post("/extract-from-url")
@require_auth
@limit("RATELIMIT_SCRAPE")
@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")
@json_limit("max_page_body_size")
def extract_garment_from_url():
    fields = body_fields()
    url = fields.get("url") or fields.get("garment_url")
    if not url:
        raise ValidationError("Send the product page as url", code="MISSING_FIELDS", details={"fields": ["url"]})
    product = service.extract_from_url(db=get_db(), settings=current_app.extensions["settings"], url=url,
                                       html=_html_field(fields))
    return success_response(product)


def _item_fields():
    """(item fields, page html or None) from a JSON body or a multipart form."""
    if request.mimetype == "multipart/form-data" and IMAGE_FIELD in request.form:
        raise ValidationError(f"{IMAGE_FIELD} must be sent as a file", code="INVALID_IMAGE_FIELD",
                              details={"field": IMAGE_FIELD})
    fields = body_fields()
    return fields, _html_field(fields)


def _html_field(fields):
    html = fields.pop("html", None)
    if html is not None and not isinstance(html, str):
        raise ValidationError("html must be the page's HTML as text", details={"field": "html"})
    return html or None


def _uploaded_image():
    """(bytes, filename) of the garment_image file, or (None, None) when none was sent."""
    upload = request.files.get(IMAGE_FIELD)
    if upload is None or not upload.filename:
        return None, None
    max_bytes = current_app.extensions["settings"].MAX_UPLOAD_SIZE
    return read_upload(upload, IMAGE_FIELD, max_bytes), upload.filename


def _with_image_url(item, sign):
    """The item with an absolute signed image_url (from storage.url_signer()) next to its image_path."""
    return {**item, "image_url": sign(item["image_path"]) if item["image_path"] else None}
