// The remembered wall over HTTP (GET/PUT /wall-state/:window, PUT/DELETE its carousel), on the console's ApiClient.
import type { WallCarouselBody, WallStateBody, WallStateView } from '../../common/wall';
import type { ApiClient } from '../api';

export interface WallStateApi {
  getWallState(windowId: number): Promise<WallStateView>;
  putWallState(windowId: number, body: WallStateBody): Promise<WallStateView>;
  putCarousel(windowId: number, body: WallCarouselBody): Promise<WallStateView>;
}

export function wallStateApi(api: Pick<ApiClient, 'request'>): WallStateApi {
  return {
    getWallState: (w) => api.request('GET', `/wall-state/${w}`),
    putWallState: (w, body) => api.request('PUT', `/wall-state/${w}`, { body }),
    putCarousel: (w, body) => api.request('PUT', `/wall-state/${w}/carousel`, { body }),
  };
}
