/**
 * Answers of the real FSSP captchas in ../shared/fixtures/real/fssp, and who gave each one: `server`
 * (the code the site accepted right after that picture, linked through the session index),
 * `eye` (read off the picture by a developer), `sources` (SOURCES.md). How each link was made:
 * fssp-captcha.conformance.test.ts. The pictures themselves are never copied into the project.
 */
export const FSSP_CAPTCHA_LABELS: ReadonlyArray<{ file: string; answer: string; by: 'server' | 'eye' | 'sources' }> = [
  { file: 'captcha_01_00199042.jpg', answer: 'пгб86', by: 'server' },
  { file: 'captcha_02_04298cb7.jpg', answer: 'ж766т', by: 'server' },
  { file: 'captcha_03_0b086d87.jpg', answer: 'п2484', by: 'server' },
  { file: 'captcha_04_0264bad5.jpg', answer: 'пмрлл', by: 'eye' },
  { file: 'captcha_05_0295f92a.jpg', answer: 'лкб88', by: 'eye' },
  { file: 'captcha_06_09bae41f.jpg', answer: 'п7жжт', by: 'eye' },
  { file: 'fssp_captcha_screenshot_rpassp.png', answer: 'жсд4л', by: 'sources' },
];
