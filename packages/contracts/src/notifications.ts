import { z } from 'zod';

/**
 * The body sent through the `kakao-binding` output binding: shaped like
 * KakaoTalk's "send to me / friend" message API (a text template object).
 */
export const KakaoMessage = z.object({
  receiver_uuids: z.array(z.string()).min(1),
  template_object: z.object({
    object_type: z.literal('text'),
    text: z.string().min(1).max(200),
    link: z.object({ web_url: z.string().optional(), mobile_web_url: z.string().optional() }),
    button_title: z.string().optional(),
  }),
});
export type KakaoMessage = z.infer<typeof KakaoMessage>;
