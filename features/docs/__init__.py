"""For client developers: the OpenAPI document, interactive docs and the try-on playground."""
