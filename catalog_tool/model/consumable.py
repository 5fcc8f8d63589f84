"""A row of the consumables catalog (医保医用耗材分类与代码)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from catalog_tool.model.common import PaymentCategory


class ConsumableItem(BaseModel):
    """Keyed by the code: `C` + 19 digits (20-char base) or the 27-char 国家编码 (+ spec/model serial)."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(..., description="耗材代码, 20 or 27 chars")
    level1: str | None = Field(None, description="一级分类")
    level2: str | None = Field(None, description="二级分类")
    level3: str | None = Field(None, description="三级分类")
    generic_class: str | None = Field(None, description="医保通用名分类")
    generic_number: str | None = Field(None, description="医保通用名编号")
    generic_name: str = Field(..., description="医保通用名")
    material: str | None = Field(None, description="耗材材质")
    spec: str | None = Field(None, description="规格（特征、参数）/ 型号")
    company: str | None = Field(None, description="耗材企业")
    payment_category: PaymentCategory | None = Field(None, description="支付类别 甲/乙/丙")
    payment_cap: Decimal | None = Field(None, description="最高支付限额 (元)")
    high_value: bool | None = Field(None, description="高值耗材")
    udi_di: str | None = Field(None, description="UDI-DI")
    remarks: str | None = Field(None, description="备注 / 限定支付范围")
    former_codes: str | None = Field(None, description="曾用码 from the 转码表, several separated by `;`")
