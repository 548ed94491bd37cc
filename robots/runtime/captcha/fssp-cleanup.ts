/**
 * Clean-up of FSSP captchas (fixtures `fssp/captcha_0*.jpg`, 200×60 JPEG) before OCR. The glyphs are
 * a dark navy serif ink; each has a pale blue copy offset up-left, on an off-white speckled ground.
 * Only the dark ink is text: the luminance cut keeps it and drops the pale copy and the speckle
 * (both far lighter, even after JPEG ringing), then the image is upscaled for tesseract and padded.
 */
import sharp from 'sharp';

/** FSSP variants, tried in this order for `cyrillic5` tasks. */
export const FSSP_CLEANUP_VARIANTS = ['fssp-dark', 'fssp-dark-bold', 'fssp-dark-thin'] as const;
export type FsspCleanupVariant = (typeof FSSP_CLEANUP_VARIANTS)[number];

// Luminance cut (0..255): the ink measures ~40–80, the pale copy ~190–215, the ground ~235–250.
const CUT: Record<FsspCleanupVariant, number> = { 'fssp-dark': 120, 'fssp-dark-bold': 150, 'fssp-dark-thin': 95 };
const SCALE = 2;

/** Whether a variant name is one of {@link FSSP_CLEANUP_VARIANTS}. */
export function isFsspCleanupVariant(variant: string): variant is FsspCleanupVariant {
  return (FSSP_CLEANUP_VARIANTS as readonly string[]).includes(variant);
}

/** The cleaned PNG (black text on white) for one FSSP variant. */
export async function cleanupFsspCaptcha(image: Buffer, variant: FsspCleanupVariant): Promise<Buffer> {
  const { width = 200, height = 60 } = await sharp(image).metadata();
  const cut = await sharp(image)
    .flatten({ background: '#ffffff' })
    .greyscale()
    .threshold(CUT[variant])
    .toBuffer();
  // A median after upscaling closes JPEG pinholes in the strokes and removes lone dark specks.
  return sharp(cut)
    .resize(width * SCALE, height * SCALE, { kernel: 'cubic' })
    .median(3)
    .threshold(128)
    .extend({ top: 20, bottom: 20, left: 20, right: 20, background: '#ffffff' })
    .png()
    .toBuffer();
}
