import { describe, expect, it } from "vitest";
import { extractIndicators } from "./plan-indicators.ts";

const read = (text: string) => extractIndicators(text).indicators.map((i) => `${i.name} ${i.comparator} ${i.value}${i.unit ?? ""}`);

describe("extractIndicators", () => {
  it("reads at-least targets", () => {
    expect(read("全市计量检测项目不少于15项。")).toEqual(["计量检测项目 >= 15项"]);
    expect(read("受检率达到95%以上")).toEqual(["受检率 >= 95%"]);
    expect(read("合格率均稳定在90%以上")).toEqual(["合格率 >= 90%"]);
    expect(read("城市空气质量好于二级标准达到330天以上")).toEqual(["城市空气质量好于二级标准 >= 330天"]);
    expect(read("新建社区多功能运动场5个以上")).toEqual(["新建社区多功能运动场 >= 5个"]);
    expect(read("农村卫生厕所普及率不低于85%")).toEqual(["农村卫生厕所普及率 >= 85%"]);
  });

  it("reads at-most, below and above targets", () => {
    expect(read("企业开办时间不超过3个工作日")).toEqual(["企业开办时间 <= 3个工作日"]);
    expect(read("全市煤炭消费总量控制在1200万吨以内")).toEqual(["煤炭消费总量 <= 1200万吨"]);
    expect(read("劣V类水质的比例小于10%")).toEqual(["劣V类水质比例 < 10%"]);
    expect(read("安全事故发生率低于0.5‰")).toEqual(["安全事故发生率 < 0.5‰"]);
    expect(read("清洁能源消费占比高于12%")).toEqual(["清洁能源消费占比 > 12%"]);
    expect(read("投诉办结时间在5个工作日以内")).toEqual(["投诉办结时间 <= 5个工作日"]);
  });

  it("reads a bare rate as equal, and 100% that must be reached as equal too", () => {
    expect(read("竣工工程质量验收合格率100%")).toEqual(["竣工工程质量验收合格率 = 100%"]);
    expect(read("排查覆盖率为100%")).toEqual(["排查覆盖率 = 100%"]);
    expect(read("达标率达到100%")).toEqual(["达标率 = 100%"]);
  });

  it("reads the count closing a clause of work to be done as at least that count", () => {
    expect(read("新建高标准农田3万亩")).toEqual(["新建高标准农田 >= 3万亩"]);
    expect(read("2026年底前，改造城镇老旧小区60个，惠及居民1.2万户")).toEqual(["改造城镇老旧小区 >= 60个"]);
    expect(read("全年培训新型职业农民1000人次。")).toEqual(["全年培训新型职业农民 >= 1000人次"]);
  });

  it("reads a change by a share as at least that change, keeping its verb in the name", () => {
    expect(read("规模工业增加值增长8%。")).toEqual(["规模工业增加值增长 >= 8%"]);
    expect(read("单位地区生产总值能耗下降3.5%")).toEqual(["单位地区生产总值能耗下降 >= 3.5%"]);
    expect(read("城镇化率提高1.2个百分点")).toEqual(["城镇化率提高 >= 1.2个百分点"]);
    expect(read("地区生产总值增长6.2%左右")).toEqual(["地区生产总值增长 = 6.2%"]);
    expect(read("增长8%")).toEqual([]);
  });

  it("takes no bare count without a work verb, mid-clause, or in time units", () => {
    expect(read("全市共有农贸市场45个")).toEqual([]);
    expect(read("新建5个社区服务中心并投入使用")).toEqual([]);
    expect(read("办理时限压缩3个工作日")).toEqual([]);
    expect(read("开展专项检查3天")).toEqual([]);
  });

  it("pairs 分别 subjects with values and shares the words written once", () => {
    expect(read("国省干线公路竣工验收合格率、优良率分别达到100%、90%")).toEqual(["国省干线公路竣工验收合格率 = 100%", "国省干线公路竣工验收优良率 >= 90%"]);
    expect(read("二氧化硫、氮氧化物排放浓度分别不高于35、50毫克每立方米")).toEqual(["二氧化硫排放浓度 <= 35毫克每立方米", "氮氧化物排放浓度 <= 50毫克每立方米"]);
  });

  it("reports a 分别 it cannot pair instead of guessing", () => {
    const scan = extractIndicators("三项指标分别达到90%、95%、98%");
    expect(scan.indicators).toEqual([]);
    expect(scan.unmatched).toEqual(["三项指标分别达到90%、95%、98%"]);
  });

  it("reads several targets in one clause", () => {
    expect(read("城区主干道绿化普及率达到100%、林荫道路推广率达到70%以上")).toEqual(["城区主干道绿化普及率 = 100%", "林荫道路推广率 >= 70%"]);
  });

  it("cleans names: brackets, place and time words, qualifiers ending in 的", () => {
    expect(read("城市集中式饮用水源地水质(扣除地质因素影响)达标率达到100%")).toEqual(["城市集中式饮用水源地水质达标率 = 100%"]);
    expect(read("到2020年，全市森林覆盖率达到35%以上")).toEqual(["森林覆盖率 >= 35%"]);
    expect(read("确保2018年底前全县农村自来水普及率达到90%")).toEqual(["农村自来水普及率 >= 90%"]);
    expect(read("市、地及负责验收的水利工程竣工验收合格率达到98%以上")).toEqual(["水利工程竣工验收合格率 >= 98%"]);
  });

  it("keeps the clause as the indicator's text", () => {
    const [indicator] = extractIndicators("加快建立新增计量标准装置，全市计量检测项目不少于15项。有效开展…").indicators;
    expect(indicator?.text).toBe("全市计量检测项目不少于15项");
  });

  it("makes no targets of years, dates, hotlines, codes or slogans", () => {
    const noise = [
      "依照我市《国民经济和社会发展第十三个五年规划纲要》",
      "2016年，争创“质量强市”示范城市",
      "广泛开展“3·15消费者权益日”宣传活动",
      "充分发挥“12315”等质量投诉热线的作用",
      "实施特种设备“一岗双责”制",
      "打造4A级景区，于2017年6月30日前完成",
      "《东港市\"十三五\"交通发展规划(2016-2020年)》",
      "PM2.5浓度持续下降",
      "第3季度开展专项检查",
      "规模以上服务企业建立服务质量标准",
    ];
    for (const text of noise) expect(read(text), text).toEqual([]);
  });

  it("reads full-width digits and percent signs", () => {
    expect(read("合格率达到９５％以上")).toEqual(["合格率 >= 95%"]);
  });
});
