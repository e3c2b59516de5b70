/**
 * The Chinese catalogue (`seed synthetic --locale zh`): the same structure as vocabulary.ts, written
 * in Chinese, so the pipeline runs end to end in that language (the bge-small-zh-v1.5 encoder, search,
 * reasons and segment labels in Chinese). Category ids keep English keys, so ids stay ASCII.
 */
import type { RootVocabulary } from './vocabulary';

export const CATALOGUE_ZH: readonly RootVocabulary[] = [
  {
    name: '数码电子',
    key: 'Electronics',
    brands: ['声悦', '迅驰', '清澜', '极光', '云听'],
    phrases: ['享受两年质保。', '附赠USB-C数据线。', '固件持续升级。'],
    subcategories: [
      { name: '耳机', key: 'Headphones', nouns: ['耳机', '蓝牙耳机'], adjectives: ['无线', '降噪', '头戴式', '运动', '入耳式'], features: ['主动降噪', '三十小时续航', '可折叠设计', '低音浑厚饱满', '低延迟游戏模式'], medianPrice: 89 },
      { name: '手机', key: 'Smartphones', nouns: ['智能手机', '手机'], adjectives: ['5G', '轻薄', '旗舰', '双卡', '三防'], features: ['120赫兹高刷屏幕', '三摄影像系统', '全天候续航', '无线快充', 'IP68级防水'], medianPrice: 549 },
      { name: '笔记本电脑', key: 'Laptops', nouns: ['笔记本电脑', '轻薄本'], adjectives: ['轻薄', '游戏', '十四英寸', '商务', '翻转'], features: ['背光键盘', '十六GB内存', '高速固态硬盘', '独立显卡', '指纹识别'], medianPrice: 899 },
    ],
  },
  {
    name: '家居厨房',
    key: 'Home & Kitchen',
    brands: ['暖居', '厨匠', '木语', '佳宅', '素器'],
    phrases: ['可放入洗碗机清洗。', '适合全家日常使用。', '易清洁，好收纳。'],
    subcategories: [
      { name: '锅具', key: 'Cookware', nouns: ['炒锅', '汤锅', '平底锅'], adjectives: ['不粘', '铸铁', '不锈钢', '电磁炉适用', '陶瓷'], features: ['受热均匀', '锅柄可进烤箱', '无涂层更健康', '配钢化玻璃盖', '适用各种灶具'], medianPrice: 45 },
      { name: '咖啡机', key: 'Coffee Machines', nouns: ['咖啡机', '意式咖啡机', '磨豆机'], adjectives: ['全自动', '半自动', '滴滤', '便携', '家用'], features: ['十五巴泵压', '蒸汽奶泡', '预约定时', '研磨粗细可调', '可拆卸水箱'], medianPrice: 129 },
      { name: '床上用品', key: 'Bedding', nouns: ['被子', '枕头', '四件套'], adjectives: ['纯棉', '抗菌', '亚麻', '记忆棉', '四季'], features: ['面料透气', '四百支高密度', '可机洗', '凉感层', '松紧包边'], medianPrice: 59 },
    ],
  },
  {
    name: '服饰鞋包',
    key: 'Fashion',
    brands: ['衣品', '北境', '南风', '简约坊', '都市客'],
    phrases: ['多色可选。', '尺码标准。', '三十天无忧退换。'],
    subcategories: [
      { name: '连衣裙', key: "Women's Dresses", nouns: ['连衣裙', '长裙', '裹身裙'], adjectives: ['碎花', '夏季', '亚麻', '晚礼', '休闲'], features: ['显瘦收腰版型', '轻薄透气面料', '两侧口袋', '可调节腰带', '飘逸中长款'], medianPrice: 55 },
      { name: '运动鞋', key: 'Sneakers', nouns: ['运动鞋', '跑步鞋', '板鞋'], adjectives: ['真皮', '轻便', '复古', '越野', '缓震'], features: ['缓震中底', '透气网面', '防滑橡胶大底', '加厚鞋口', '反光细节'], medianPrice: 79 },
      { name: '外套', key: 'Jackets', nouns: ['外套', '羽绒服', '冲锋衣'], adjectives: ['防水', '保暖', '轻薄', '可收纳', '牛仔'], features: ['可拆卸帽子', '压胶防水拉链', '保暖填充', '拉链口袋', '防风面料'], medianPrice: 119 },
    ],
  },
  {
    name: '运动户外',
    key: 'Sports & Outdoors',
    brands: ['峰行', '野径', '极地', '疾风', '登顶'],
    phrases: ['为户外而生。', '运动员实测。', '轻巧耐用。'],
    subcategories: [
      { name: '露营', key: 'Camping', nouns: ['帐篷', '睡袋', '露营炉'], adjectives: ['双人', '超轻', '四季', '便携', '保暖'], features: ['快速搭建', '防水外帐', '零下五度舒适温标', '收纳袋小巧', '省气节能'], medianPrice: 95 },
      { name: '健身', key: 'Fitness', nouns: ['哑铃', '瑜伽垫', '弹力带'], adjectives: ['可调节', '防滑', '加厚', '环保', '家用'], features: ['快速调节重量', '加厚护膝', '五档阻力', '防滑纹理', '附赠背带'], medianPrice: 39 },
      { name: '跑步', key: 'Running', nouns: ['运动手表', '跑步背心', '跑步短裤'], adjectives: ['轻量', '反光', '马拉松', '速干', '越野'], features: ['精准GPS定位', '心率监测', '水袋仓', '速干面料', '两周续航'], medianPrice: 59 },
    ],
  },
  {
    name: '美妆个护',
    key: 'Beauty',
    brands: ['花颜', '本草集', '肌安', '金露', '柔光'],
    phrases: ['经皮肤科测试。', '无动物实验。', '敏感肌适用。'],
    subcategories: [
      { name: '护肤', key: 'Skincare', nouns: ['面霜', '精华', '洁面乳'], adjectives: ['补水', '维C', '修护', '无香', '晚间'], features: ['玻尿酸深层补水', '清爽不油腻', '提亮肤色', '温和去角质', '防晒SPF30'], medianPrice: 24 },
      { name: '彩妆', key: 'Makeup', nouns: ['粉底液', '口红', '睫毛膏'], adjectives: ['持妆', '哑光', '浓密', '自然', '防水'], features: ['遮瑕可叠加', '不易脱妆', '质地顺滑', '二十个色号', '全天持妆'], medianPrice: 18 },
      { name: '美发', key: 'Hair Care', nouns: ['洗发水', '护发素', '吹风机'], adjectives: ['去屑', '柔顺', '负离子', '无硅油', '速干'], features: ['温和清洁头皮', '改善毛躁', '恒温护发', '植物配方', '快速吹干'], medianPrice: 22 },
    ],
  },
  {
    name: '图书',
    key: 'Books',
    brands: ['墨香出版社', '港湾书局', '子午书屋', '灯塔文化', '青石出版'],
    phrases: ['平装与精装可选。', '同类畅销书。', '附读书会指南。'],
    subcategories: [
      { name: '小说', key: 'Fiction', nouns: ['小说', '长篇小说', '短篇集'], adjectives: ['悬疑', '科幻', '历史', '爱情', '获奖'], features: ['情节扣人心弦', '人物刻画细腻', '结局出人意料', '世界观宏大', '文笔优美'], medianPrice: 15 },
      { name: '童书', key: "Children's Books", nouns: ['绘本', '童话书', '科普书'], adjectives: ['彩色', '启蒙', '趣味', '双语', '睡前'], features: ['插图精美', '适合亲子共读', '培养好习惯', '知识点丰富', '纸张环保'], medianPrice: 12 },
      { name: '烹饪', key: 'Cookbooks', nouns: ['菜谱', '烘焙书', '家常菜大全'], adjectives: ['家常', '快手', '素食', '烘焙', '健康'], features: ['步骤图解清晰', '食材易买', '三十分钟上桌', '营养搭配合理', '附视频教程'], medianPrice: 20 },
    ],
  },
];

export const POSITIVE_REVIEW_OPENERS_ZH = ['非常满意。', '正是我想要的。', '性价比很高。', '超出预期。', '会回购。'];
export const NEUTRAL_REVIEW_OPENERS_ZH = ['还可以。', '中规中矩，有些小缺点。', '这个价格还行。'];
export const NEGATIVE_REVIEW_OPENERS_ZH = ['有点失望。', '与描述不符。', '用了几周就坏了。', '已经退货了。'];
