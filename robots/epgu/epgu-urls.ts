/** Hosts and paths of EPGU (TARGETS.md §4; the wizard and list paths are the sandbox's [U]). */
export const ESIA_HOST = 'esia.gosuslugi.ru';
export const PORTAL_HOST = 'www.gosuslugi.ru';
export const TARGET = 'epgu';

export const PATHS = {
  login: '/login/',
  home: '/',
  wizard: '/600361/1/form',
  orders: '/orders',
  feed: (lastFeedDate: string | null) => `/api/lk/v1/feeds/?types=GEPS${lastFeedDate ? `&lastFeedDate=${encodeURIComponent(lastFeedDate)}` : ''}`,
  feedItem: (id: string) => `/api/lk/v1/feeds/${encodeURIComponent(id)}`,
  download: (attachmentId: string) => `/api/lk/geps/file/download/${encodeURIComponent(attachmentId)}?inline=false`,
} as const;
