"""Product-page extractors (spec: BrandExtractor, DefaultExtractor, ZaraExtractor, BrandExtractorFactory)."""

from features.garments.extractors.base import PRODUCT_FIELDS, BrandExtractor
from features.garments.extractors.default import DefaultExtractor
from features.garments.extractors.factory import BrandExtractorFactory
from features.garments.extractors.page import ProductPage
from features.garments.extractors.shopify import ShopifyExtractor
from features.garments.extractors.zara import ZaraExtractor

__all__ = [
    "PRODUCT_FIELDS",
    "BrandExtractor",
    "BrandExtractorFactory",
    "DefaultExtractor",
    "ProductPage",
    "ShopifyExtractor",
    "ZaraExtractor",
]
