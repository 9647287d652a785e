// Declarations of the wall-state endpoints (served by main/server/routes/wall-state.ts).
import { endpoint, typed } from '../endpoint';
import type { WallStateView } from '../wall';
import { s } from '../schema';
import { WallCarouselBody, WallStateBody } from '../wall';

const WindowParams = s.object({
  window: s.int({ min: 0, max: Number.MAX_SAFE_INTEGER, description: '0 = the Live tab, else the display id of a wall window' }),
});

const WallStateViewSchema = {
  type: 'object',
  required: ['window', 'state', 'carousel', 'updatedMs'],
  properties: {
    window: { type: 'integer' },
    state: { ...WallStateBody.json, nullable: true },
    carousel: { ...WallCarouselBody.json, nullable: true },
    updatedMs: { type: 'integer', nullable: true },
  },
};

export const getWallStateBywindow = endpoint({
  method: 'GET',
  path: '/api/v1/wall-state/:window',
  auth: 'any',
  tag: 'layouts',
  summary: "The caller's last wall in this window and its carousel",
  description: 'A source deleted since (or no longer visible to the caller) comes back as an empty tile; a carousel step whose layout was deleted is left out.',
  params: WindowParams,
  response: { description: 'the wall (state null when never saved)', schema: typed<WallStateView>(WallStateViewSchema) },
});

export const putWallStateBywindow = endpoint({
  method: 'PUT',
  path: '/api/v1/wall-state/:window',
  auth: 'any',
  tag: 'layouts',
  summary: "Remember the caller's wall in this window (the console saves it shortly after each change)",
  description: 'selected and maximized must be tiles of the layout (1, 4, 9, 16, 6 for 1+5, 8 for 1+7). The carousel stays as it is.',
  params: WindowParams,
  body: WallStateBody,
  response: { description: 'the wall as stored', schema: typed<WallStateView>(WallStateViewSchema) },
});

export const putWallStateBywindowCarousel = endpoint({
  method: 'PUT',
  path: '/api/v1/wall-state/:window/carousel',
  auth: 'wall.carousel',
  tag: 'layouts',
  summary: 'Define, start, advance or stop the carousel of saved layouts in this window',
  description: "step must be one of the steps; the layouts are the caller's own saved layouts (steps whose layout is not one read back left out).",
  params: WindowParams,
  body: WallCarouselBody,
  response: { description: 'the wall as stored', schema: typed<WallStateView>(WallStateViewSchema) },
});

export const deleteWallStateBywindowCarousel = endpoint({
  method: 'DELETE',
  path: '/api/v1/wall-state/:window/carousel',
  auth: 'wall.carousel',
  tag: 'layouts',
  summary: 'Forget the carousel of this window',
  params: WindowParams,
  response: { status: 204, description: 'forgotten' },
});
