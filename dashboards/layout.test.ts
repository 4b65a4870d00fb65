import { strict as assert } from "node:assert";
import { GRID_COLUMNS, placeRows } from "./layout";

describe("dashboard grid layout", () => {
    it("flows panels left to right and wraps before a panel that would stick out", () => {
        const [row] = placeRows([
            {
                items: [
                    { width: 16, height: 4 },
                    { width: 12, height: 6 },
                    { width: 12, height: 2 },
                ],
            },
        ]);
        assert.deepEqual(row.gridPos, { x: 0, y: 0, w: GRID_COLUMNS, h: 1 });
        assert.deepEqual(
            row.cells.map((c) => c.gridPos),
            [
                { x: 0, y: 1, w: 16, h: 4 },
                { x: 0, y: 5, w: 12, h: 6 },
                { x: 12, y: 5, w: 12, h: 2 },
            ],
        );
    });

    it("starts the next row below the tallest panel of the previous line, ids in reading order", () => {
        const placed = placeRows([
            {
                items: [
                    { width: 8, height: 3 },
                    { width: 8, height: 7 },
                ],
            },
            { items: [{ width: 24, height: 2 }] },
        ]);
        assert.deepEqual(placed[1].gridPos, { x: 0, y: 8, w: GRID_COLUMNS, h: 1 });
        assert.deepEqual(placed[1].cells[0].gridPos, { x: 0, y: 9, w: 24, h: 2 });
        assert.deepEqual(
            placed.flatMap((r) => [r.id, ...r.cells.map((c) => c.id)]),
            [1, 2, 3, 4, 5],
        );
    });

    it("refuses a panel wider than the grid", () => {
        assert.throws(() => placeRows([{ items: [{ width: 25, height: 1 }] }]), /does not fit/);
    });
});
