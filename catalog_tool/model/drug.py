"""A row of the drug catalog: an NRDL entry or an NHSA drug-code-database product."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from catalog_tool.model.common import DrugClass, MedicineType, Section


class DrugItem(BaseModel):
    """One drug row. NRDL rows are keyed by (section, name, dosage form) and carry a number (编号);
    code-database rows are keyed by the national code (医保药品代码)."""

    model_config = ConfigDict(frozen=True, use_enum_values=False)

    code: str | None = Field(None, description="医保药品代码, 20 or 23 chars, ^[A-Z0-9]+$")
    section: Section | None = Field(None, description="目录部分 (西药部分, 协议期内谈判药品部分 …)")
    medicine_type: MedicineType | None = Field(None, description="西药 / 中成药 / 中药饮片")
    number: str | None = Field(None, description="编号 as printed; `★(134)` repeats number 134")
    category_code: str | None = Field(None, description="药品分类代码, e.g. XA02BC")
    category_name: str | None = Field(None, description="药品分类")
    drug_class: DrugClass | None = Field(None, description="甲乙类")
    name: str = Field(..., description="药品名称 (医保药品名称)")
    dosage_form: str | None = Field(None, description="剂型")
    remarks: str | None = Field(None, description="备注: the restriction text (限定支付范围), verbatim")
    payment_standard: str | None = Field(None, description="医保支付标准 as published; `*` = confidential")
    agreement_start: date | None = Field(None, description="协议有效期 start")
    agreement_end: date | None = Field(None, description="协议有效期 end")
    former_codes: str | None = Field(None, description="曾用码, several separated by `;`")
    # Product attributes of the NHSA drug code database (医保药品分类与代码数据库)
    data_source: str | None = Field(None, description="数据来源")
    registered_name: str | None = Field(None, description="注册名称")
    trade_name: str | None = Field(None, description="商品名称")
    registered_dosage_form: str | None = Field(None, description="注册剂型")
    catalog_dosage_form: str | None = Field(None, description="医保剂型")
    registered_spec: str | None = Field(None, description="注册规格")
    spec: str | None = Field(None, description="规格")
    packaging_material: str | None = Field(None, description="包装材质")
    min_pack_quantity: str | None = Field(None, description="最小包装数量")
    min_dose_unit: str | None = Field(None, description="最小制剂单位")
    min_pack_unit: str | None = Field(None, description="最小包装单位")
    company: str | None = Field(None, description="药品企业")
    subpackager: str | None = Field(None, description="分包装企业名称")
    manufacturer: str | None = Field(None, description="生产企业")
    approval_number: str | None = Field(None, description="批准文号")
    former_approval_number: str | None = Field(None, description="原批准文号")
    standard_code: str | None = Field(None, description="药品本位码")
    license_holder: str | None = Field(None, description="上市药品持有人")
    market_status: str | None = Field(None, description="市场状态: 上市 / 停产 / 未上市")

    @property
    def confidential_price(self) -> bool:
        """`*` in 医保支付标准: the company asked for the price to stay confidential."""
        return (self.payment_standard or "").strip() == "*"

    @property
    def base_number(self) -> str | None:
        """The number a `★(n)` row repeats, or the row's own number."""
        n = self.number
        if n and n.startswith("★"):
            return n.strip("★()（） ")
        return n

    @property
    def negotiated(self) -> bool:
        return self.section in (Section.negotiated, Section.bidding)
