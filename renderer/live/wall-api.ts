// The remembered wall over HTTP (GET/PUT /wall-state/:window, PUT its carousel), derived from the declarations (common/endpoints/wall-state.ts).
import * as E from '../../common/endpoints';
import type { WallCarouselBody, WallStateBody, WallStateView } from '../../common/wall';
import type { ApiClient } from '../api';

export interface WallStateApi {
  getWallState(windowId: number): Promise<WallStateView>;
  putWallState(windowId: number, body: WallStateBody): Promise<WallStateView>;
  putCarousel(windowId: number, body: WallCarouselBody): Promise<WallStateView>;
}

export function wallStateApi(api: Pick<ApiClient, 'call'>): WallStateApi {
  return {
    getWallState: (window) => api.call(E.getWallStateBywindow, { params: { window } }),
    putWallState: (window, body) => api.call(E.putWallStateBywindow, { params: { window }, body }),
    putCarousel: (window, body) => api.call(E.putWallStateBywindowCarousel, { params: { window }, body }),
  };
}
