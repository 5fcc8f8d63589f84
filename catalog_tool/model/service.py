"""A row of the medical-service catalog (医疗服务项目分类与代码)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from catalog_tool.model.common import PaymentCategory


class ServiceItem(BaseModel):
    """Keyed by the 15-digit code, e.g. `002501010150200` 血细胞分析."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(..., description="项目编码, 15 digits")
    name: str = Field(..., description="项目名称")
    content: str | None = Field(None, description="项目内涵")
    excluded: str | None = Field(None, description="除外内容")
    unit: str | None = Field(None, description="计价单位")
    price: Decimal | None = Field(None, description="价格 (元)")
    payment_category: PaymentCategory | None = Field(None, description="支付类别 甲/乙/丙")
    remarks: str | None = Field(None, description="说明 / 限定支付范围")
    former_codes: str | None = Field(None, description="曾用码, several separated by `;`")
