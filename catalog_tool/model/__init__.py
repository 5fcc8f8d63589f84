"""Pydantic models of the three catalogs, their editions, and the items in them."""

from catalog_tool.model.common import CatalogKind, DrugClass, MedicineType, PaymentCategory, Section
from catalog_tool.model.consumable import ConsumableItem
from catalog_tool.model.drug import DrugItem
from catalog_tool.model.edition import Edition, SourceFile
from catalog_tool.model.service import ServiceItem

ITEM_MODELS = {
    CatalogKind.drugs: DrugItem,
    CatalogKind.consumables: ConsumableItem,
    CatalogKind.services: ServiceItem,
}

__all__ = [
    "CatalogKind",
    "ConsumableItem",
    "DrugClass",
    "DrugItem",
    "Edition",
    "ITEM_MODELS",
    "MedicineType",
    "PaymentCategory",
    "Section",
    "ServiceItem",
    "SourceFile",
]
