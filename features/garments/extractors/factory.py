"""BrandExtractorFactory: the extractor for a page, by its URL's domain first, then by the page itself."""

from features.garments.extractors.base import isolated
from features.garments.extractors.default import DefaultExtractor
from features.garments.extractors.shopify import ShopifyExtractor
from features.garments.extractors.zara import ZaraExtractor


class BrandExtractorFactory:
    """Picks among the brand extractors; DefaultExtractor handles every other shop."""

    extractors = (ZaraExtractor, ShopifyExtractor)

    @classmethod
    def for_url(cls, url):
        """The extractor registered for the URL's domain, or None."""
        return next((extractor() for extractor in cls.extractors if extractor.matches_url(url)), None)

    @classmethod
    def for_page(cls, page):
        """The extractor for a parsed page: by domain, then by recognising the shop's platform."""
        return (
            cls.for_url(page.url)
            or next(
                (
                    extractor()
                    for extractor in cls.extractors
                    if isolated(
                        page, f"{extractor.name}-detection", lambda: extractor.matches_page(page), False
                    )
                ),
                None,
            )
            or DefaultExtractor()
        )
