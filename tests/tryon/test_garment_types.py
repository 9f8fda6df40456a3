"""The job says what each garment is, where that came from, and how it was photographed."""

import io
import json

from tests import photos
from tests.helpers import post_tryon, wait_for_job


def _run(client, user, person, garment, **form):
    response = post_tryon(client, user, selfie=person, garment_image=garment, **form)
    assert response.status_code == 202, response.get_json()
    return wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])


def test_untyped_jeans_are_recognised_by_their_two_legs_and_put_on_the_legs(client, user):
    job = _run(client, user, photos.cameraman_png(), photos.jeans())
    assert job["status"] == "done", job["error"]
    assert job["garments"] == [
        {
            "source": "upload",
            "url": None,
            "type": "bottom",
            "type_source": "silhouette",
            "photo_type": "flat-lay",
        }
    ]


def test_untyped_dress_and_top_are_told_apart(client, user):
    dress = _run(client, user, photos.cameraman_png(), photos.dress())
    top = _run(client, user, photos.astronaut_png(), photos.striped_top_on_white())
    assert (dress["garments"][0]["type"], dress["garments"][0]["type_source"]) == ("one_piece", "silhouette")
    assert (top["garments"][0]["type"], top["garments"][0]["type_source"]) == ("top", "silhouette")


def test_the_clients_type_wins_over_the_outline(client, user):
    job = _run(
        client,
        user,
        photos.cameraman_png(),
        photos.t_shirt(),
        options=json.dumps({"garments": [{"type": "outerwear"}]}),
    )
    assert job["status"] == "done", job["error"]
    assert job["garments"] == [
        {
            "source": "upload",
            "url": None,
            "type": "outerwear",
            "type_source": "client",
            "photo_type": "flat-lay",
        }
    ]


def test_a_category_the_client_describes_counts_as_the_clients(client, user):
    job = _run(
        client,
        user,
        photos.cameraman_png(),
        photos.t_shirt(),
        options=json.dumps({"garments": [{"details": {"category": "skinny jeans"}}]}),
    )
    assert (job["garments"][0]["type"], job["garments"][0]["type_source"]) == ("bottom", "client")


def test_a_garment_photographed_on_a_model_says_so(client, user):
    job = _run(
        client,
        user,
        photos.astronaut_png(),
        photos.hopper_jpeg(),
        options=json.dumps({"garments": [{"type": "top"}]}),
    )
    assert job["status"] == "done", job["error"]
    assert job["garments"][0]["photo_type"] == "on-model"


def test_the_types_are_listed_in_the_order_the_garments_were_sent(client, user):
    response = client.post(
        "/api/tryon/multi",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={
            "selfie": (io.BytesIO(photos.cameraman_png()), "me.png"),
            "garment_images": [
                (io.BytesIO(photos.jeans()), "jeans.png"),
                (io.BytesIO(photos.t_shirt()), "tee.png"),
            ],
        },
    )
    job = wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])
    assert [(g["type"], g["type_source"]) for g in job["garments"]] == [
        ("bottom", "silhouette"),
        ("top", "silhouette"),
    ]
