/**
 * Grid placement. Grafana's grid is 24 columns wide; a row header takes one
 * grid row. Panels flow left to right and wrap when the next one would not
 * fit, so rows never overlap and nothing sticks out to the right. Ids are
 * handed out in reading order, rows included, so they are unique and stable.
 */

/** Width of Grafana's dashboard grid, in columns. */
export const GRID_COLUMNS = 24;

export interface GridBox {
    x: number;
    y: number;
    w: number;
    h: number;
}

export interface Sized {
    width: number;
    height: number;
}

export interface PlacedRow<R, T> {
    /** The row as given. */
    row: R;
    id: number;
    gridPos: GridBox;
    cells: { id: number; gridPos: GridBox; item: T }[];
}

/** Places rows of sized items on the grid, starting at the top. */
export function placeRows<R extends { items: Sized[] }>(rows: R[]): PlacedRow<R, R["items"][number]>[] {
    let nextId = 1;
    let y = 0;
    return rows.map((row) => {
        const header: PlacedRow<R, R["items"][number]> = { row, id: nextId++, gridPos: { x: 0, y, w: GRID_COLUMNS, h: 1 }, cells: [] };
        y += 1;
        let x = 0;
        let lineHeight = 0;
        for (const item of row.items) {
            if (item.width < 1 || item.width > GRID_COLUMNS || item.height < 1) {
                throw new Error(`panel size ${item.width}x${item.height} does not fit a ${GRID_COLUMNS}-column grid`);
            }
            if (x + item.width > GRID_COLUMNS) {
                y += lineHeight;
                x = 0;
                lineHeight = 0;
            }
            header.cells.push({ id: nextId++, gridPos: { x, y, w: item.width, h: item.height }, item });
            x += item.width;
            lineHeight = Math.max(lineHeight, item.height);
        }
        y += lineHeight;
        return header;
    });
}
