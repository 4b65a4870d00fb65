/** A seeded pseudo-random generator (mulberry32): stand-in values move, but every run moves the same way. */
export class Random {
    private state: number;

    constructor(seed: number) {
        this.state = seed >>> 0;
    }

    next(): number {
        this.state = (this.state + 0x6d2b79f5) >>> 0;
        let t = this.state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    between(low: number, high: number): number {
        return low + (high - low) * this.next();
    }

    int(low: number, high: number): number {
        return Math.floor(this.between(low, high + 1));
    }

    chance(p: number): boolean {
        return this.next() < p;
    }
}
