/**
 * The phrase book both the template engine and the grammar draw on: openers, benefits and calls to
 * action per locale and tone. None states a number, price, date or superlative, so any combination
 * with the product's facts passes the guardrails. {category} is replaced by a category name.
 */
import type { Locale, Tone } from './copy-types';

export interface PhraseBook {
  openers: string[];
  benefits: string[];
  /** Benefits that name a category; used when the product has one. */
  categoryBenefits: string[];
  ctas: string[];
}

const EN: Record<Tone, PhraseBook> = {
  FRIENDLY: {
    openers: ['Just for you:', 'Say hello to', 'Take a look at', 'Have you seen'],
    benefits: ['a lovely pick for your next evening', 'something you will enjoy', 'picked with you in mind'],
    categoryBenefits: ['a warm pick for {category} fans', 'made for {category} lovers', 'your next {category} favourite'],
    ctas: ['Take a look today.', 'See it now.', 'Have a look.'],
  },
  PLAYFUL: {
    openers: ['Psst, have you met', 'Guess what is here:', 'Oh hello there,', 'Ready for some fun with'],
    benefits: ['pure fun from start to finish', 'a little joy for your day', 'made for a smile'],
    categoryBenefits: ['a romp for {category} fans', 'your {category} mood, sorted', 'fun for {category} lovers'],
    ctas: ['Dive in now!', 'Go on, take a peek!', 'Treat yourself!'],
  },
  URGENT: {
    openers: ['Do not miss out on', 'Right now, see', 'Act now and see', 'Last call for'],
    benefits: ['waiting for you right now', 'ready when you are', 'one to catch now'],
    categoryBenefits: ['a must for {category} fans', 'the {category} pick of the moment', 'for {category} fans, right now'],
    ctas: ['Get it now.', 'Check it out today.', 'Grab it now.'],
  },
  PREMIUM: {
    openers: ['Now presenting', 'Allow us to present', 'Curated for you:', 'With pleasure we present'],
    benefits: ['crafted for a refined taste', 'a selection of distinction', 'quietly remarkable'],
    categoryBenefits: ['a refined choice in {category}', 'a choice of distinction for {category} lovers', 'a carefully chosen {category} title'],
    ctas: ['Explore it now.', 'Discover more.', 'See the details.'],
  },
};

const ZH: Record<Tone, PhraseBook> = {
  FRIENDLY: {
    openers: ['为你精选：', '推荐给你：', '来看看：'],
    benefits: ['值得一看的好选择', '为你用心挑选', '让你的时光更美好'],
    categoryBenefits: ['喜欢{category}的你不要错过', '{category}爱好者的心头好'],
    ctas: ['现在就去看看吧。', '快来了解一下。', '点击查看详情。'],
  },
  PLAYFUL: {
    openers: ['嘿，看这里：', '猜猜看：', '新发现：'],
    benefits: ['从头到尾都很有趣', '给你的一天加点快乐', '保准让你会心一笑'],
    categoryBenefits: ['{category}迷的快乐源泉', '一起来场{category}冒险'],
    ctas: ['快来看看吧！', '戳进来瞧瞧！', '犒劳一下自己吧！'],
  },
  URGENT: {
    openers: ['别错过：', '就是现在：', '赶快行动：'],
    benefits: ['正在等你来发现', '现在正是时候', '此刻就值得拥有'],
    categoryBenefits: ['{category}爱好者正在关注', '当下热门的{category}之选'],
    ctas: ['立即查看。', '马上行动。', '现在就去看看。'],
  },
  PREMIUM: {
    openers: ['为您呈现：', '为您推荐：', '为你甄选：'],
    benefits: ['品味之选', '匠心之作，值得细品', '低调而出众'],
    categoryBenefits: ['精致的{category}之选', '{category}中的典雅之作'],
    ctas: ['立即了解更多。', '了解更多。', '查看详情。'],
  },
};

export function phraseBook(locale: Locale, tone: Tone): PhraseBook {
  return (locale === 'zh' ? ZH : EN)[tone];
}

/** A hashtag from a category name: letters and digits only ("Sci-Fi" -> "#SciFi"). */
export function hashtag(category: string): string {
  return `#${category.replace(/[^\p{L}\p{N}]+/gu, '')}`;
}
