"""app.py lists every feature with the URL prefix of its routes, in one place (blueprints carry none)."""

from app import features


def test_every_route_is_under_the_prefix_its_feature_declares(make_app):
    app = make_app(IMAGES_BASE_URL="/media/")
    prefixes = {
        feature.name: feature.url_prefix for feature in features(app.extensions["storage"].url_prefix)
    }
    assert prefixes["images"] == "/media"
    routes = [(rule.endpoint.partition(".")[0], rule.rule) for rule in app.url_map.iter_rules()]
    # every route belongs to a listed feature (none is added beside the table), and every feature serves some
    assert {name for name, _ in routes} == set(prefixes)
    stray = [(name, path) for name, path in routes if not _under(path, prefixes[name])]
    assert stray == []
    unsigned = app.test_client().get("/media/avatars/u1/a.png")  # the images route followed IMAGES_BASE_URL
    assert unsigned.status_code == 403 and unsigned.get_json()["error"]["code"] == "INVALID_SIGNATURE"


def test_blueprints_carry_no_prefix_of_their_own():
    table = features("/images")
    assert [feature.name for feature in table if feature.blueprint.url_prefix is not None] == []
    assert [feature.name for feature in table] == [feature.blueprint.name for feature in table]


def _under(path, prefix):
    return path == prefix or path.startswith(prefix + "/")
