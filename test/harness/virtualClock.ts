/**
 * Simulated time for a deployment under the mocks: each registration takes a stated time, starts when the
 * engine receives it (its inputs and dependencies resolved), and time jumps to the next finish only when
 * the program can do nothing else. No real sleeping, so results do not depend on the machine. Work that
 * the cloud serializes (operations on one transit router) waits in a lane for the one before it.
 */
export class VirtualClock {
    private now = 0;
    private readonly waiting: { at: number; resolve: () => void }[] = [];
    private readonly lanes = new Map<string, number>();
    private driving = false;
    private activity = 0;
    private held = 0;

    /** Current simulated time (seconds). */
    public get time(): number {
        return this.now;
    }

    /**
     * Books `seconds` of work arriving now, after earlier work in each of its lanes (work that occupies two
     * transit routers is in both); resolves when it is done.
     */
    public async run(seconds: number, lanes: string | readonly string[] = []): Promise<{ arrival: number; start: number; finish: number }> {
        this.activity++;
        const held = typeof lanes === "string" ? [lanes] : lanes;
        const arrival = this.now;
        const start = Math.max(arrival, ...held.map((lane) => this.lanes.get(lane) ?? 0));
        const finish = start + seconds;
        for (const lane of held) {
            this.lanes.set(lane, finish);
        }
        await new Promise<void>((resolve) => {
            this.waiting.push({ at: finish, resolve });
            this.drive();
        });
        return { arrival, start, finish };
    }

    /**
     * Keeps time still while `work` runs: what the mock does on the deploying machine after simulated work
     * ends (signing a certificate, say) takes no simulated time, however long it takes for real.
     */
    public async hold<T>(work: () => Promise<T>): Promise<T> {
        this.held++;
        this.activity++;
        try {
            return await work();
        } finally {
            this.held--;
            this.activity++;
        }
    }

    /** Advances time whenever the program has gone quiet: nothing new booked for several turns. */
    private drive(): void {
        if (this.driving) {
            return;
        }
        this.driving = true;
        let quietTurns = 0;
        let seen = this.activity;
        const turn = () => {
            if (this.waiting.length === 0) {
                this.driving = false;
                return;
            }
            if (this.activity !== seen || this.held > 0) {
                seen = this.activity;
                quietTurns = 0;
            } else if (++quietTurns >= 5) {
                quietTurns = 0;
                const next = Math.min(...this.waiting.map((w) => w.at));
                this.now = next;
                for (const due of this.waiting.filter((w) => w.at === next)) {
                    this.waiting.splice(this.waiting.indexOf(due), 1);
                    this.activity++;
                    due.resolve();
                }
                seen = this.activity;
            }
            setImmediate(turn);
        };
        setImmediate(turn);
    }
}
