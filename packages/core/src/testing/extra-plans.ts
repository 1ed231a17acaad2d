/**
 * Two small plans for tests of several plans in one office, in the seed plan's layout. Their
 * 文号 differ from the seed's and each other's; 市场监督管理局 and 住建局 owe tasks in the seed
 * plan too, so one liaison answers for several plans.
 */
export const BUSINESS_PLAN_TEXT = `同江市优化营商环境工作方案

同政办发〔2026〕11号

同江市人民政府办公室

为持续优化营商环境，制定本方案。

一、主要任务

（一）提升政务服务效能。

1.推行企业开办一网通办。企业开办时间压缩至1个工作日以内。（牵头单位：市场监督管理局；责任单位：政务服务中心）

2.优化工程建设项目审批。（牵头单位：住建局；责任单位：自然资源局、政务服务中心）

（二）强化要素保障。

3.降低企业用水用电成本。（牵头单位：发改局；责任单位：供电公司、水务局）

二、工作要求

各单位要高度重视，按季度报送工作进展。
`;

export const RIVER_PLAN_TEXT = `同江市全面推行河长制工作方案

同政办发〔2026〕27号

同江市人民政府办公室

为全面推行河长制，制定本方案。

一、主要任务

（一）加强水资源保护。

1.落实最严格水资源管理制度。（牵头单位：水务局；责任单位：环保局）

2.加强河道采砂管理。（牵头单位：自然资源局；责任单位：水务局、公安局）

（二）加强水污染防治。

3.整治入河排污口。（牵头单位：环保局；责任单位：住建局）

二、工作要求

各责任单位每季度报送工作进展。
`;
