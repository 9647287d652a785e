// Dragging a node or device of the organisation tree onto the wall: its MIME type and payload ("node:4", "device:9").

/** MIME type of an organisation node or a device dragged from the tree; video tiles accept it (a channel drags as a camera). */
export const ORG_DRAG_TYPE = 'application/x-argus-org';

export interface OrgDrop {
  kind: 'node' | 'device';
  id: number;
}

export function orgDragData(drop: OrgDrop): string {
  return `${drop.kind}:${drop.id}`;
}

export function parseOrgDrag(data: string): OrgDrop | null {
  const m = /^(node|device):(\d+)$/.exec(data);
  return m ? { kind: m[1] as OrgDrop['kind'], id: Number(m[2]) } : null;
}

/** Drag handlers of a tree row that drags a node or a device. */
export function orgDragProps(drop: OrgDrop, name: string) {
  return {
    draggable: true,
    onDragStart: (e: DragEvent) => {
      e.stopPropagation();
      e.dataTransfer?.setData(ORG_DRAG_TYPE, orgDragData(drop));
      e.dataTransfer?.setData('text/plain', name);
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'copy';
    },
  };
}
