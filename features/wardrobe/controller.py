"""HTTP endpoints under /api/wardrobe: items, categories, category sections and URL extraction.

User categories are addressed by id (`/categories/12`), platform categories by name
(`/categories/dresses`): the two live in separate tables whose ids overlap.
"""

from flask import Blueprint, current_app, g, request

from features.auth.decorators import require_auth
from features.garments.schemas import PAGE_READ_ERRORS, Product
from features.tryon.schemas import IMAGE_PART
from features.wardrobe import service
from features.wardrobe.schemas import (
    IMAGE_FIELD,
    CategoriesQuery,
    Category,
    CategoryDeleted,
    CategoryGroup,
    CategoryInput,
    ItemDeleted,
    ItemsQuery,
    NewItemForm,
    NewItemInput,
    Section,
    SectionDeleted,
    SectionInput,
    UrlRequest,
    WardrobeItem,
    WardrobeItemForm,
    WardrobeItemInput,
)
from shared.ai_models import get_image_models
from shared.ai_models.gemini_file_rows import DELETED_AT_GOOGLE
from shared.database import get_db
from shared.errors import ValidationError
from shared.idempotency import AnswerOnce, idempotent
from shared.rate_limit import at_once_per_client, limit
from shared.request_data import json_limit, read_upload
from shared.response import success_response
from shared.schemas import Answer, operation
from shared.storage import get_storage

bp = Blueprint("wardrobe", __name__)

SECTIONS, CATEGORIES, ITEMS = "Wardrobe sections", "Wardrobe categories", "Wardrobe items"
_SECTION_ID = {"section_id": (None, None)}
_CATEGORY_REF = {
    "category_ref": (
        "Your category's id, or a category's name (platform categories such as `dresses` by name only).",
        "dresses",
    )
}
_URLENCODED = "application/x-www-form-urlencoded"
_SECTION_BODY = {
    "body": SectionInput,
    "form": SectionInput,
    "form_media_type": _URLENCODED,
    "example": {
        "name": "summer_collection",
        "display_name": "Summer Collection",
        "description": "My summer wardrobe",
    },
}
_CATEGORY_BODY = {
    "body": CategoryInput,
    "form": CategoryInput,
    "form_media_type": _URLENCODED,
    "example": {
        "name": "casual_shirts",
        "description": "Casual shirts for every day",
        "category_section": "upper_body",
    },
}
_SECTION_WRITE_ERRORS = {
    400: [
        "MISSING_FIELDS",
        "UNKNOWN_FIELDS",
        "INVALID_SECTION_NAME",
        "INVALID_URL",
        "VALIDATION_ERROR",
        "OUT_OF_RANGE",
    ],
    409: ["SECTION_EXISTS", "SECTION_NAME_RESERVED"],
}
_CATEGORY_WRITE_ERRORS = {
    400: [
        "MISSING_FIELDS",
        "UNKNOWN_FIELDS",
        "INVALID_CATEGORY_SECTION",
        "INVALID_SECTION_NAME",
        "VALIDATION_ERROR",
    ],
    409: ["CATEGORY_EXISTS", "CATEGORY_NAME_RESERVED"],
}
_ITEM_WRITE_ERRORS = {
    **PAGE_READ_ERRORS,
    400: [
        "MISSING_GARMENT",
        "MISSING_FIELDS",
        "UNKNOWN_FIELDS",
        "INVALID_IMAGE_FIELD",
        "INVALID_FABRIC",
        "INVALID_CURRENCY",
        "INVALID_URL",
        "URL_NOT_ALLOWED",
        "INVALID_CATEGORY_SECTION",
        "INVALID_SECTION_NAME",
        "CONFLICTING_CATEGORY",
        "INVALID_HTML",
        "VALIDATION_ERROR",
        "OUT_OF_RANGE",
        "EMPTY_FILE",
        "INVALID_IMAGE",
        "UNSUPPORTED_IMAGE",
        "IMAGE_TOO_LARGE",
    ],
    403: ["PLATFORM_CATEGORY_READ_ONLY"],
    404: ["CATEGORY_NOT_FOUND", "ITEM_NOT_FOUND"],
    413: ["FILE_TOO_LARGE", "HTML_TOO_LARGE", "IMAGE_TOO_LARGE"],
    422: [*PAGE_READ_ERRORS[422], "NO_PRODUCT_IMAGE", "IMAGE_DOWNLOAD_FAILED"],
    503: ["STORAGE_UNAVAILABLE", "EXTRACTION_BUSY"],
    507: ["INSUFFICIENT_STORAGE"],
}


# --- sections ------------------------------------------------------------------------------------
@bp.get("/category-sections")
@require_auth
@operation(
    tag=SECTIONS,
    operation_id="listSections",
    summary="Platform sections and the caller's own, in display order.",
    answers={200: Answer(list[Section], "The sections.")},
)
def get_category_sections():
    return success_response(service.list_sections(db=get_db(), user_id=g.userid))


@bp.post("/category-sections")
@require_auth
@operation(
    tag=SECTIONS,
    operation_id="createSection",
    summary="Create a section of your own.",
    **_SECTION_BODY,
    answers={201: Answer(Section, "Section created.")},
    errors=_SECTION_WRITE_ERRORS,
)
def create_category_section(body):
    section = service.create_section(db=get_db(), user_id=g.userid, data=body)
    return success_response(section, "Category section created", 201)


@bp.get("/category-sections/<int:section_id>")
@require_auth
@operation(
    tag=SECTIONS,
    operation_id="getSection",
    summary="One platform section or one of yours.",
    path_parameters=_SECTION_ID,
    answers={200: Answer(Section, "The section.")},
    errors={404: ["SECTION_NOT_FOUND"]},
)
def get_category_section(section_id):
    return success_response(service.get_section(db=get_db(), user_id=g.userid, section_id=section_id))


@bp.put("/category-sections/<int:section_id>")
@require_auth
@operation(
    tag=SECTIONS,
    operation_id="updateSection",
    path_parameters=_SECTION_ID,
    **_SECTION_BODY,
    summary="Change one of your sections; a rename carries over to its categories and items.",
    answers={200: Answer(Section, "The updated section.")},
    errors={**_SECTION_WRITE_ERRORS, 403: ["PLATFORM_SECTION_READ_ONLY"], 404: ["SECTION_NOT_FOUND"]},
)
def update_category_section(section_id, body):
    section = service.update_section(db=get_db(), user_id=g.userid, section_id=section_id, data=body)
    return success_response(section, "Category section updated")


@bp.delete("/category-sections/<int:section_id>")
@require_auth
@operation(
    tag=SECTIONS,
    operation_id="deleteSection",
    path_parameters=_SECTION_ID,
    summary="Delete one of your sections (refused while categories or items use it).",
    answers={200: Answer(SectionDeleted, "Deleted.")},
    errors={403: ["PLATFORM_SECTION_READ_ONLY"], 404: ["SECTION_NOT_FOUND"], 409: ["SECTION_IN_USE"]},
)
def delete_category_section(section_id):
    result = service.delete_section(db=get_db(), user_id=g.userid, section_id=section_id)
    return success_response(result, "Category section deleted")


# --- categories ----------------------------------------------------------------------------------
@bp.get("/categories")
@require_auth
@operation(
    tag=CATEGORIES,
    operation_id="listCategories",
    query=CategoriesQuery,
    summary="Platform and your categories, grouped under their sections.",
    answers={
        200: Answer(
            list[CategoryGroup],
            "Sections with their categories (sections without a match are left out when searching).",
        )
    },
    errors={400: ["INVALID_CATEGORY_SECTION", "INVALID_SECTION_NAME", "VALIDATION_ERROR"]},
)
def get_categories(query):
    groups = service.list_categories(
        db=get_db(), user_id=g.userid, search=query.search, category_section=query.category_section
    )
    return success_response(groups)


@bp.post("/categories")
@require_auth
@operation(
    tag=CATEGORIES,
    operation_id="createCategory",
    **_CATEGORY_BODY,
    summary="Create a category of your own in an existing section.",
    answers={201: Answer(Category, "Category created.")},
    errors=_CATEGORY_WRITE_ERRORS,
)
def create_category(body):
    category = service.create_category(db=get_db(), user_id=g.userid, data=body)
    return success_response(category, "Category created", 201)


@bp.get("/categories/<int:category_ref>")
@bp.get("/categories/<category_ref>")
@require_auth
@operation(
    tag=CATEGORIES,
    operation_id="getCategory",
    path_parameters=_CATEGORY_REF,
    summary="One platform category (by name) or one of yours (by id or name).",
    answers={200: Answer(Category, "The category.")},
    errors={404: ["CATEGORY_NOT_FOUND"]},
)
def get_category(category_ref):
    return success_response(service.get_category(db=get_db(), user_id=g.userid, category_ref=category_ref))


@bp.put("/categories/<int:category_ref>")
@bp.put("/categories/<category_ref>")
@require_auth
@operation(
    tag=CATEGORIES,
    operation_id="updateCategory",
    path_parameters=_CATEGORY_REF,
    **_CATEGORY_BODY,
    summary="Change one of your categories.",
    answers={200: Answer(Category, "The updated category.")},
    errors={**_CATEGORY_WRITE_ERRORS, 403: ["PLATFORM_CATEGORY_READ_ONLY"], 404: ["CATEGORY_NOT_FOUND"]},
)
def update_category(category_ref, body):
    category = service.update_category(db=get_db(), user_id=g.userid, category_ref=category_ref, data=body)
    return success_response(category, "Category updated")


@bp.delete("/categories/<int:category_ref>")
@bp.delete("/categories/<category_ref>")
@require_auth
@operation(
    tag=CATEGORIES,
    operation_id="deleteCategory",
    path_parameters=_CATEGORY_REF,
    summary="Delete one of your categories; its items stay in the wardrobe without a category.",
    answers={200: Answer(CategoryDeleted, "Deleted.")},
    errors={403: ["PLATFORM_CATEGORY_READ_ONLY"], 404: ["CATEGORY_NOT_FOUND"]},
)
def delete_category(category_ref):
    result = service.delete_category(db=get_db(), user_id=g.userid, category_ref=category_ref)
    moved = result["items_uncategorized"]
    message = "Category deleted" + (f"; {moved} item(s) kept without a category" if moved else "")
    return success_response(result, message)


# --- items ---------------------------------------------------------------------------------------
@bp.get("/items")
@require_auth
@operation(
    tag=ITEMS,
    operation_id="listItems",
    query=ItemsQuery,
    summary="Your wardrobe, newest first, filtered and paginated.",
    answers={200: Answer(list[WardrobeItem], "One page of items.", paginated=True)},
    errors={
        400: [
            "INVALID_CATEGORY_SECTION",
            "INVALID_SECTION_NAME",
            "MISSING_FIELDS",
            "VALIDATION_ERROR",
            "OUT_OF_RANGE",
        ],
        403: ["PLATFORM_CATEGORY_READ_ONLY"],
        404: ["CATEGORY_NOT_FOUND"],
    },
)
def get_wardrobe_items(query):
    items, pagination = service.list_items(
        db=get_db(),
        user_id=g.userid,
        limit=query.limit,
        offset=query.offset,
        category=query.category,
        category_id=query.category_id,
        category_section=query.category_section,
        search=query.search,
    )
    sign = get_storage().url_signer()
    return success_response([_with_image_url(item, sign) for item in items], pagination=pagination)


@bp.post("/items")
@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")
@json_limit("max_page_body_size")
@require_auth
@idempotent
@operation(
    tag=ITEMS,
    operation_id="addItem",
    form=NewItemForm,
    form_encoding={IMAGE_FIELD: IMAGE_PART},
    body=NewItemInput,
    example={"garment_url": "https://shop.example/products/linen-tee", "size": "M"},
    summary="Add a garment from a photo (multipart `garment_image`) or from a product page (`garment_url`).",
    description="From a product page the details (title, brand, price, fabric, category) and the main image "
    "are taken from the page; fields you send win. Send the page as `html` when the shop blocks "
    "servers.",
    answers={201: Answer(WardrobeItem, "Item added.")},
    errors=_ITEM_WRITE_ERRORS,
)
def add_garment(body):
    fields = body.given()
    html = fields.pop("html", None)
    image_data, image_filename = _uploaded_image()
    storage = get_storage()
    answer = AnswerOnce(lambda item: _item_added(item, storage.url_signer()))
    service.create_item(
        db=get_db(),
        storage=storage,
        settings=current_app.extensions["settings"],
        user_id=g.userid,
        data=fields,
        html=html,
        image_data=image_data,
        image_filename=image_filename,
        on_created=answer.record,
    )
    return answer.response


def _item_added(item, sign):
    return success_response(_with_image_url(item, sign), "Item added to your wardrobe", 201)


@bp.get("/items/<int:item_id>")
@require_auth
@operation(
    tag=ITEMS,
    operation_id="getItem",
    summary="One of your items.",
    answers={200: Answer(WardrobeItem, "The item.")},
    errors={404: ["ITEM_NOT_FOUND"]},
)
def get_wardrobe_item(item_id):
    item = service.get_item(db=get_db(), user_id=g.userid, item_id=item_id)
    return success_response(_with_image_url(item, get_storage().url_signer()))


@bp.put("/items/<int:item_id>")
@require_auth
@operation(
    tag=ITEMS,
    operation_id="updateItem",
    form=WardrobeItemForm,
    body=WardrobeItemInput,
    example={"size": "L", "color": "navy"},
    summary="Change some fields of an item (null clears one); a new `garment_image` replaces the picture.",
    description="When a new `garment_image` replaces the picture: the old file is deleted. "
    + DELETED_AT_GOOGLE,
    answers={200: Answer(WardrobeItem, "The updated item.")},
    errors=_ITEM_WRITE_ERRORS,
)
def update_wardrobe_item(item_id, body):
    image_data, image_filename = _uploaded_image()
    storage = get_storage()
    item = service.update_item(
        db=get_db(),
        storage=storage,
        settings=current_app.extensions["settings"],
        user_id=g.userid,
        item_id=item_id,
        data=body.given(),
        image_data=image_data,
        image_filename=image_filename,
        gemini_photos=get_image_models().photos,
    )
    return success_response(_with_image_url(item, storage.url_signer()), "Item updated")


@bp.delete("/items/<int:item_id>")
@require_auth
@operation(
    tag=ITEMS,
    operation_id="deleteItem",
    summary="Delete an item and its image.",
    description=DELETED_AT_GOOGLE,
    answers={200: Answer(ItemDeleted, "Deleted.")},
    errors={404: ["ITEM_NOT_FOUND"]},
)
def delete_wardrobe_item(item_id):
    result = service.delete_item(
        db=get_db(),
        storage=get_storage(),
        user_id=g.userid,
        item_id=item_id,
        gemini_photos=get_image_models().photos,
    )
    return success_response(result, "Item deleted")


@bp.post("/extract-from-url")
@require_auth
@limit("RATELIMIT_SCRAPE")
@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")
@json_limit("max_page_body_size")
@operation(
    tag=ITEMS,
    operation_id="extractFromUrl",
    body=UrlRequest,
    form=UrlRequest,
    example={"url": "https://shop.example/products/linen-tee"},
    summary="Read a product page into garment details without adding it to the wardrobe.",
    answers={200: Answer(Product, "The product.")},
    errors=PAGE_READ_ERRORS,
)
def extract_garment_from_url(body):
    fields = body.given()
    url = fields.get("url") or fields.get("garment_url")
    if not url:
        raise ValidationError(
            "Send the product page as url", code="MISSING_FIELDS", details={"fields": ["url"]}
        )
    product = service.extract_from_url(
        db=get_db(), settings=current_app.extensions["settings"], url=url, html=fields.get("html")
    )
    return success_response(product)


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
