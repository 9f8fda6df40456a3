"""The garment catalogue is the one place garment facts are written: the revisions' rows match it, and a
category added to it alone shows in every answer that should name it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from alembic import command

from config import Settings
from features.fitting import fit_engine
from features.garments.categorizer import fold_text
from migrations import alembic_config, run_migrations
from migrations.catalog_rows import catalog_category_rows, catalog_section_rows, sync_catalog_rows
from shared import garment_catalog
from shared.database import create_database

ROOT = Path(__file__).resolve().parents[2]
CATALOG_SOURCE = ROOT / "shared" / "garment_catalog.py"
# What a developer adds to KINDS to sell ponchos: one entry, with a tolerance no existing category has.
PONCHO = """    Kind("poncho", "outerwear", "poncho, ponchos, umhang", "capa, mantella",
         **_platform("ponchos", "Ponchos", "upper_body", 7, "tops", (12.0, 15.0))),
"""
CHART = {"unit": "cm", "sizes": [{"label": "M", "measurements": {"breast_circumference": [88, 94]}}]}
BUST_CM = 101.5  # 8 % above M's range: snug within a 12 % tight tolerance, too tight within any other
# Runs in a fresh interpreter whose `shared` package finds the edited catalogue (argv[1]) first.
RUNNER = r"""
import io, json, sys, time
import shared
shared.__path__.insert(0, sys.argv[1])
from app import create_app, shutdown_app
from tests.helpers import app_settings
from tests.photos import astronaut_png, t_shirt

tmp, chart, bust = sys.argv[2], json.loads(sys.argv[3]), float(sys.argv[4])
app = create_app(app_settings(tmp, database="t.db", GEMINI_API_KEY=""))
client = app.test_client()
password = "correct horse 1"
token = client.post("/api/create-account", json={"email": "poncho@example.com", "password": password,
                    "confirm_password": password, "first_name": "Ada"}).get_json()["data"]["token"]
headers = {"Authorization": f"Bearer {token}"}
client.put("/api/body-measurements", headers=headers, json={"breast_circumference": bust})
seen = {"categories": client.get("/api/wardrobe/categories", headers=headers).get_json()["data"],
        "categorized": client.post("/api/garments/categorize", json={"title": "Wool poncho with fringes"}).get_json(),
        "fit": client.post("/api/fitting/check", headers=headers,
                           json={"size_chart": chart, "category": "poncho", "size": "M"}).get_json(),
        "document": client.get("/openapi.json").get_json()}
photo = (io.BytesIO(t_shirt()), "poncho.png")
seen["item"] = client.post("/api/wardrobe/items", headers=headers, content_type="multipart/form-data",
                           data={"category": "ponchos", "garment_image": photo}).get_json()
job = client.post("/api/tryon", headers=headers, content_type="multipart/form-data", data={
    "selfie": (io.BytesIO(astronaut_png()), "me.png"),
    "garment_image": (io.BytesIO(t_shirt()), "garment.png"),
    "options": json.dumps({"garment_details": {"title": "Wool poncho"}})}).get_json()["data"]
deadline = time.monotonic() + 120
while (found := client.get(f"/api/job/{job['job_id']}", headers=headers).get_json()["data"])["status"] not in (
        "done", "failed") and time.monotonic() < deadline:
    time.sleep(0.1)
seen["job"] = found
shutdown_app(app)
with open(f"{tmp}/seen.json", "w") as out:
    json.dump(seen, out)
"""


def _database(path):
    return create_database(
        Settings.from_env(
            env={"DATABASE_PATH": str(path), "DATABASE_URL": os.environ.get("DATABASE_URL", "")}
        )
    )


def _platform_rows(db):
    sections = db.execute_query(
        "SELECT name, display_name, description, sort_order FROM category_sections WHERE user_id IS NULL",
        fetch_all=True,
    )
    categories = db.execute_query(
        "SELECT name, section_name, display_name, sort_order FROM platform_categories", fetch_all=True
    )
    return (
        {
            row["name"]: {key: row[key] for key in ("display_name", "description", "sort_order")}
            for row in sections
        },
        {
            row["name"]: {key: row[key] for key in ("section_name", "display_name", "sort_order")}
            for row in categories
        },
    )


def test_the_revisions_seed_exactly_the_catalogue_rows(tmp_path):
    db = _database(tmp_path / "revisions.db")
    try:
        with db.transaction_connection() as connection:  # the revisions alone, without the catalogue's sync
            command.upgrade(alembic_config(connection), "heads")
        assert _platform_rows(db) == (catalog_section_rows(), catalog_category_rows())
        with db.transaction_connection() as connection:
            assert sync_catalog_rows(connection) == 0
    finally:
        db.close_all()


def test_migrating_brings_changed_or_missing_platform_rows_back_to_the_catalogue(tmp_path):
    db = _database(tmp_path / "drifted.db")
    try:
        run_migrations(db)
        db.execute_query(
            "UPDATE platform_categories SET display_name = 'Overcoats', section_name = 'wishlist' "
            "WHERE name = 'coats'"
        )
        db.execute_query("UPDATE category_sections SET sort_order = 9 WHERE name = 'upper_body'")
        db.execute_query("DELETE FROM platform_categories WHERE name = 'belts'")
        assert run_migrations(db) == []
        assert _platform_rows(db) == (catalog_section_rows(), catalog_category_rows())
    finally:
        db.close_all()


def test_every_fact_refers_to_something_the_catalogue_defines():
    sections = {section.name for section in garment_catalog.SECTIONS}
    for entry in garment_catalog.KINDS:
        assert entry.garment_type in (*garment_catalog.GARMENT_TYPES, None)
        if entry.platform_category:
            assert entry.section in sections and entry.display_name and entry.sort_order
            assert (entry.fit_group is None) == (entry.tolerance_percent is None)
            assert entry.fit_group is None or entry.fit_group in fit_engine.ZONE_WEIGHTS
            assert entry.chart_gender in fit_engine.ESTIMATE_COEFFICIENTS  # "women" / "men"
    orders = [(entry.section, entry.sort_order) for entry in garment_catalog.PLATFORM_CATEGORIES]
    assert len(set(orders)) == len(orders)


def test_no_word_names_two_kinds():
    named = {}
    for entry in garment_catalog.KINDS:
        for word in f"{entry.germanic_words},{entry.romance_words}".split(","):
            assert named.setdefault(fold_text(word), entry.kind) == entry.kind, word


def test_platform_categories_are_named_by_name_display_name_or_kind():
    named = garment_catalog.platform_category_named
    assert named("dresses") == named("Dresses") == named("dress") == named(" DRESS ") == "dresses"
    assert named("T-Shirts") == named("t-shirt") == named("t shirts") == "t_shirts"
    assert named("jumpsuit") is None and named("poncho") is None and named(7) is None


def _enums(node):
    """Every enum list anywhere in a JSON document."""
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            yield node["enum"]
        for value in node.values():
            yield from _enums(value)
    elif isinstance(node, list):
        for value in node:
            yield from _enums(value)


def test_the_api_document_names_garments_as_the_catalogue_does(client):
    platform = set(garment_catalog.PLATFORM_CATEGORY)
    kinds = set(garment_catalog.KIND)
    vocabularies = {
        "platform categories": platform,
        "garment types": set(garment_catalog.GARMENT_TYPES),
        "kinds": kinds,
        "platform categories by name or kind": platform
        | {entry.kind for entry in garment_catalog.PLATFORM_CATEGORIES},
    }
    found = set()
    for enum in _enums(client.get("/openapi.json").get_json()):
        values = set(enum) - {None}
        if values & (kinds | platform | set(garment_catalog.GARMENT_TYPES)):
            assert values in vocabularies.values(), sorted(values)
            found |= {name for name, vocabulary in vocabularies.items() if vocabulary == values}
    assert found == set(vocabularies)


def test_a_category_added_to_the_catalogue_alone_shows_everywhere(app, client, user, tmp_path):
    # Today's catalogue has no ponchos: the same requests find nothing (so the check below can fail).
    unknown = client.post("/api/garments/categorize", json={"title": "Wool poncho with fringes"}).get_json()[
        "data"
    ]
    assert unknown["category"] is None
    assert (
        client.post(
            "/api/fitting/check",
            headers=user["headers"],
            json={"size_chart": CHART, "category": "poncho", "size": "M"},
        ).get_json()["error"]["code"]
        == "VALIDATION_ERROR"
    )

    # The poncho goes in just before the jumpsuit's entry, however the formatter lays the entry out.
    source = CATALOG_SOURCE.read_text()
    assert source.count('"jumpsuit",') == 1
    at = source.rindex("    Kind(", 0, source.index('"jumpsuit",'))
    edited = tmp_path / "catalog"
    edited.mkdir()
    (edited / "garment_catalog.py").write_text(source[:at] + PONCHO + source[at:])
    # On PostgreSQL both apps share one database: this process's workers (with today's catalogue) must not
    # claim the other app's try-on job.
    app.extensions["tryon_queue"].stop()
    subprocess.run(
        [sys.executable, "-c", RUNNER, str(edited), str(tmp_path), json.dumps(CHART), str(BUST_CM)],
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    seen = json.loads((tmp_path / "seen.json").read_text())

    upper = next(group for group in seen["categories"] if group["name"] == "upper_body")
    poncho = next(category for category in upper["categories"] if category["name"] == "ponchos")
    assert poncho["display_name"] == "Ponchos" and poncho["is_platform"] is True and poncho["sort_order"] == 7
    categorized = seen["categorized"]["data"]
    assert (
        categorized["category"],
        categorized["wardrobe_category"],
        categorized["category_section"],
        categorized["garment_type"],
    ) == ("poncho", "ponchos", "upper_body", "outerwear")
    fit = seen["fit"]["data"]
    assert fit["garment"]["category"] == "ponchos"
    assert [(zone["zone"], zone["verdict"]) for zone in fit["zones"]] == [("breast_circumference", "snug")]
    item = seen["item"]["data"]
    assert (item["category"], item["category_section"], item["garment_type"]) == (
        "ponchos",
        "upper_body",
        "outerwear",
    )
    enums = [set(enum) for enum in _enums(seen["document"])]
    assert {"ponchos", "poncho"} <= set().union(*enums)
    assert all("ponchos" in enum for enum in enums if "t_shirts" in enum)
    assert seen["job"]["status"] == "done", seen["job"]
    assert [(garment["type"], garment["type_source"]) for garment in seen["job"]["garments"]] == [
        ("outerwear", "client")
    ]
